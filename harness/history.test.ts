import { describe, expect, it } from "vitest";
import { bookingsOf, History, outcomeOfCheckout, parseHistory } from "./history.js";

describe("history", () => {
  it("records invocations and completions and round-trips through JSONL", () => {
    const history = new History();
    const op = history.invoke("c1", "checkout", { bookingId: "b1", ticketId: "s1", userId: "u1" });
    history.complete(op, "ok", { status: 200 });
    const parsed = parseHistory(history.toJsonl());
    expect(parsed.map((o) => o.type)).toEqual(["invoke", "ok"]);
    expect(parsed[1]?.invokeIndex).toBe(0);
  });

  it("classifies answers: 200 ok, 4xx and the Worker's 503 fail, the rest info", () => {
    expect(outcomeOfCheckout({ status: 200, body: "" })).toBe("ok");
    expect(outcomeOfCheckout({ status: 409, body: "" })).toBe("fail");
    expect(outcomeOfCheckout({ status: 503, body: "Payment failed: Gateway timeout" })).toBe("fail");
    expect(outcomeOfCheckout({ status: 503, body: "overloaded" })).toBe("info");
    expect(outcomeOfCheckout({ status: 0, body: "", error: "ECONNRESET" })).toBe("info");
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

  it("counts a booking whose only attempt never completed as info", () => {
    const history = new History();
    history.invoke("c1", "checkout", { bookingId: "b1", ticketId: "s1", userId: "u1" });
    expect(bookingsOf(history.ops)[0]?.outcome).toBe("info");
  });
});
