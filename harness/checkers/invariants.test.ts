import { describe, expect, it } from "vitest";
import { messages } from "../../worker/contract.js";
import { History } from "../history/history.js";
import { endedStaysEnded } from "./ended-stays-ended.js";
import { atTimes, charge, historyOf, sold, stateOf } from "./fixtures.js";
import { holdsEndByOwn } from "./holds-end-by-own.js";
import { oneBookingPerId } from "./one-booking-per-id.js";
import { paidSeats } from "./paid-seats.js";

const confirmed = historyOf([{ bookingId: "b1", seat: "s1", user: "u1", status: 200 }]);

describe("paid-seats", () => {
  it("accepts a seat sold to a booking that paid once under its own key", () => {
    expect(paidSeats.check(confirmed, stateOf([sold("s1", "b1", "u1")], [charge("b1", "s1")])).valid).toBe(true);
  });

  it("rejects a seat sold for nothing: no charge, or a charge refunded", () => {
    expect(paidSeats.check(confirmed, stateOf([sold("s1", "b1", "u1")], [])).valid).toBe(false);
    const refunded = [charge("b1", "s1"), charge("b1", "s1", { kind: "refund" })];
    const result = paidSeats.check(confirmed, stateOf([sold("s1", "b1", "u1")], refunded));
    expect(result.problems.join()).toContain("paid net 0");
    expect(result.offenders).toEqual({ bookings: ["b1"], seats: ["s1"], ledger: [] });
  });

  it("rejects a second seat paid by the first seat's charge (one payment, two seats)", () => {
    const twoSeats = historyOf([
      { bookingId: "b1", seat: "s1", user: "u1", status: 200 },
      { bookingId: "b1", seat: "s2", user: "u1", status: 200 },
    ]);
    const result = paidSeats.check(twoSeats, stateOf([sold("s1", "b1", "u1"), sold("s2", "b1", "u1")], [charge("b1", "s1")]));
    expect(result.valid).toBe(false);
    expect(result.problems.join()).toContain("seat s2 is SOLD to booking b1");
  });

  it("rejects a charge without a key, under a key naming another seat, or of another amount", () => {
    const state = (entry: ReturnType<typeof charge>) => stateOf([sold("s1", "b1", "u1")], [entry]);
    const keyless = charge("b1", "s1", { idempotencyKey: null });
    const result = paidSeats.check(confirmed, state(keyless));
    expect(result.valid).toBe(false);
    expect(result.offenders).toEqual({ bookings: ["b1"], seats: ["s1"], ledger: [keyless.seq] });
    expect(paidSeats.check(confirmed, state(charge("b1", "s1", { idempotencyKey: "booking:b1" }))).valid).toBe(false);
    expect(paidSeats.check(confirmed, state(charge("b1", "s1", { amount: 50 }))).valid).toBe(false);
  });

  it("reports money no booking of the run can claim instead of dropping it", () => {
    const stray = [charge("b1", "s1"), charge("someone-else", "s9")];
    const result = paidSeats.check(confirmed, stateOf([sold("s1", "b1", "u1")], stray));
    expect(result.valid).toBe(false);
    expect(result.problems.join()).toContain("names booking someone-else, which no client of the run made");
    expect(result.offenders).toEqual({ bookings: ["someone-else"], seats: [], ledger: [stray[1]!.seq] });
  });
});

describe("one-booking-per-id", () => {
  it("accepts a reused booking id refused with 422", () => {
    const reused = historyOf([
      { bookingId: "b1", seat: "s1", user: "u1", status: 200 },
      { bookingId: "b1", seat: "s2", user: "u1", status: 422 },
      { bookingId: "b1", seat: "s1", user: "u2", status: 422 },
    ]);
    expect(oneBookingPerId.check(reused, stateOf([sold("s1", "b1", "u1")])).valid).toBe(true);
  });

  it("rejects a booking id that answered a request for another seat with anything but 422", () => {
    const reused = historyOf([
      { bookingId: "b1", seat: "s1", user: "u1", status: 200 },
      { bookingId: "b1", seat: "s2", user: "u1", status: 200 },
    ]);
    const result = oneBookingPerId.check(reused, stateOf([sold("s1", "b1", "u1")]));
    expect(result.valid).toBe(false);
    expect(result.problems[0]).toContain("also answered HTTP 200 to a request for seat s2");
    expect(result.offenders).toEqual({ bookings: ["b1"], seats: ["s1", "s2"], ledger: [] });
  });

  it("rejects a seat held or sold under a booking id made for another seat", () => {
    const state = stateOf([sold("s1", "b1", "u1"), { ...sold("s2", "b1", "u1"), status: "RESERVED" }]);
    expect(oneBookingPerId.check(confirmed, state).valid).toBe(false);
    expect(oneBookingPerId.check(confirmed, state).offenders).toEqual({ bookings: ["b1"], seats: ["s1", "s2"], ledger: [] });
  });

  it("rejects a booking id whose only request was refused as another's", () => {
    expect(oneBookingPerId.check(historyOf([{ bookingId: "b1", seat: "s1", user: "u1", status: 422 }]), stateOf([])).valid).toBe(false);
  });
});

describe("ended-stays-ended", () => {
  it("accepts retries that get the same answer and never reach the gateway", () => {
    const retried = historyOf([
      { bookingId: "b1", seat: "s1", user: "u1", status: 402 },
      { bookingId: "b1", seat: "s1", user: "u1", status: 402 },
    ]);
    expect(endedStaysEnded.check(retried, stateOf([], [charge("b1", "s1", { status: 402, arrivedAt: 0 })])).valid).toBe(true);
  });

  it("rejects a booking that was refused and later confirmed", () => {
    const flipped = historyOf([
      { bookingId: "b1", seat: "s1", user: "u1", status: 409 },
      { bookingId: "b1", seat: "s1", user: "u1", status: 200 },
    ]);
    expect(endedStaysEnded.check(flipped, stateOf([])).valid).toBe(false);
  });

  it("rejects a retry sent after the booking ended that is answered with a 5xx; a retry with no answer stays unknown", () => {
    const declinedThen = (status: number, error?: string) => {
      const history = new History();
      historyOf([{ bookingId: "b1", seat: "s1", user: "u1", status: 402, body: "Payment declined" }], history);
      const retry = history.invoke("u1", "checkout", { ticketId: "s1", userId: "u1", bookingId: "b1" });
      history.complete(retry, "info", { status, body: status === 0 ? "" : '{"code":500,"message":"internal"}', error });
      return history.ops;
    };
    const ledger = [charge("b1", "s1", { status: 402, arrivedAt: 0 })];
    const answered500 = endedStaysEnded.check(declinedThen(500), stateOf([], ledger));
    expect(answered500.valid).toBe(false);
    expect(answered500.problems[0]).toMatch(/booking b1 ended \(HTTP 402\); a retry sent \d+ ms later was answered HTTP 500/);
    expect(answered500.offenders.bookings).toEqual(["b1"]);
    expect(endedStaysEnded.check(declinedThen(0, "TypeError: fetch failed"), stateOf([], ledger)).valid).toBe(true);
  });

  it("cannot judge an ended booking in a history without a clock", () => {
    const clockless = historyOf([{ bookingId: "b1", seat: "s1", user: "u1", status: 200 }]).filter((op) => op.f !== "expect");
    expect(endedStaysEnded.check(clockless, stateOf([sold("s1", "b1", "u1")], [charge("b1", "s1")])).valid).toBe("unknown");
  });

  it("rejects a charge of a booking that reaches the gateway after the booking ended", () => {
    const history = new History();
    const ops = historyOf([{ bookingId: "b1", seat: "s1", user: "u1", status: 200 }], history);
    const later = Date.now() + 60_000;
    const late = charge("b1", "s1", { arrivedAt: later });
    const result = endedStaysEnded.check(ops, stateOf([sold("s1", "b1", "u1")], [charge("b1", "s1", { arrivedAt: 0 }), late]));
    expect(result.valid).toBe(false);
    expect(result.problems[0]).toContain("before charge");
    expect(result.offenders).toEqual({ bookings: ["b1"], seats: [], ledger: [late.seq] });
  });
});

describe("holds-end-by-own", () => {
  const lostHold = (history: History) => {
    history.expect("worker-settings", { holdTtlMs: 1_000 });
    return historyOf([{ bookingId: "b1", seat: "s1", user: "u1", status: 409, body: `${messages.holdLost}; ${messages.refunded}` }], history);
  };

  it("accepts a hold lost no sooner than its TTL", () => {
    const ops = lostHold(new History());
    expect(holdsEndByOwn.check(atTimes(ops, { 2: 0, 3: 1_500 }), stateOf([])).valid).toBe(true);
  });

  it("rejects a hold lost before its TTL could end it", () => {
    const ops = lostHold(new History());
    const result = holdsEndByOwn.check(atTimes(ops, { 2: 0, 3: 300 }), stateOf([]));
    expect(result.valid).toBe(false);
    expect(result.problems[0]).toContain("something else ended it");
  });

  it("cannot judge a lost hold without the TTL", () => {
    const ops = historyOf([{ bookingId: "b1", seat: "s1", user: "u1", status: 409, body: messages.refunded }]);
    expect(holdsEndByOwn.check(ops, stateOf([])).valid).toBe("unknown");
  });
});
