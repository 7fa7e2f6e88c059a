import { describe, expect, it } from "vitest";
import { bookingsOf } from "./bookings.js";
import { History, outcomeOfAnswer, parseHistory } from "./history.js";

describe("history", () => {
  it("records invocations and completions and round-trips through JSONL", () => {
    const history = new History();
    const op = history.invoke("c1", "checkout", { bookingId: "b1", ticketId: "s1", userId: "u1" });
    history.complete(op, "ok", { status: 200 });
    const parsed = parseHistory(history.toJsonl());
    expect(parsed.map((o) => [o.f, o.type])).toEqual([
      ["expect", "ok"],
      ["checkout", "invoke"],
      ["checkout", "ok"],
    ]);
    expect(parsed[2]?.invokeIndex).toBe(1);
  });

  it("classifies answers: 2xx ok, 4xx and the Worker's 502 and 503 fail, the rest info; a checkout's 404 or 429 is info", () => {
    expect(outcomeOfAnswer({ status: 200, body: "" }, "checkout")).toBe("ok");
    expect(outcomeOfAnswer({ status: 409, body: "" }, "checkout")).toBe("fail");
    expect(outcomeOfAnswer({ status: 422, body: "" }, "checkout")).toBe("fail");
    expect(outcomeOfAnswer({ status: 502, body: "Payment failed: the payment gateway refused the charge" }, "checkout")).toBe("fail");
    expect(outcomeOfAnswer({ status: 503, body: "Payment failed: Gateway timeout" }, "checkout")).toBe("fail");
    expect(outcomeOfAnswer({ status: 503, body: "overloaded" }, "checkout")).toBe("info");
    expect(outcomeOfAnswer({ status: 0, body: "" }, "checkout")).toBe("info");
    expect(outcomeOfAnswer({ status: 413, body: "too large" }, "checkout")).toBe("fail");
    expect(outcomeOfAnswer({ status: 404, body: "service 'Checkout' not found" }, "checkout")).toBe("info");
    expect(outcomeOfAnswer({ status: 429, body: "" }, "checkout")).toBe("info");
    expect(outcomeOfAnswer({ status: 404, body: "Not found: the mock payment route is off" }, "other")).toBe("fail");
  });

  it("folds attempts of one booking (a definite answer resolves an unknown one), and follows idempotency-key aliases", () => {
    const history = new History();
    const a = history.invoke("c1", "checkout", { bookingId: "b1", ticketId: "s1", userId: "u1" });
    history.complete(a, "fail", { status: 409 });
    history.invoke("c1", "checkout", { bookingId: "b1", ticketId: "s1", userId: "u1" });
    const k = history.invoke("c2", "checkout", { idempotencyKey: "k", ticketId: "s2", userId: "u2" });
    history.complete(k, "ok", { status: 200 });
    const resolve = history.invoke("observer", "resolve-key", { idempotencyKey: "k" });
    history.complete(resolve, "ok", { bookingId: "inv_1" });
    const bookings = bookingsOf(history.ops);
    expect(bookings.find((b) => b.bookingId === "b1")).toMatchObject({ outcome: "fail", attempts: 2, statuses: [409] });
    expect(bookings.find((b) => b.bookingId === "inv_1")).toMatchObject({ outcome: "ok", ticketId: "s2" });
  });

  it("binds a booking id to the request with a definite answer other than 422; the others are kept apart", () => {
    const history = new History();
    const z = history.invoke("c1", "checkout", { bookingId: "b1", ticketId: "z", userId: "u1" });
    const a = history.invoke("c2", "checkout", { bookingId: "b1", ticketId: "a", userId: "u1" });
    history.complete(a, "ok", { status: 200 });
    history.complete(z, "fail", { status: 422 });
    const [booking] = bookingsOf(history.ops);
    expect(booking).toMatchObject({ ticketId: "a", outcome: "ok", statuses: [200] });
    expect(booking?.others).toMatchObject([{ ticketId: "z", statuses: [422] }]);
  });

  it("counts a booking whose only attempt never completed as info", () => {
    const history = new History();
    history.invoke("c1", "checkout", { bookingId: "b1", ticketId: "s1", userId: "u1" });
    expect(bookingsOf(history.ops)[0]?.outcome).toBe("info");
  });
});
