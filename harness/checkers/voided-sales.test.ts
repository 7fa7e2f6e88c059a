import { describe, expect, it } from "vitest";
import { History } from "../history/history.js";
import { bookingsOf } from "../history/bookings.js";
import { messages } from "../../worker/contract.js";
import type { Checker } from "./checker.js";
import { endedStaysEnded } from "./ended-stays-ended.js";
import { exactlyOnceCharge } from "./exactly-once-charge.js";
import { charge, historyOf, sold, stateOf, type FakeCheckout } from "./fixtures.js";
import { noDoubleSale } from "./no-double-sale.js";
import { noLostBooking } from "./no-lost-booking.js";
import { holdsEndByOwn } from "./holds-end-by-own.js";

const b1 = { bookingId: "b1", seat: "s1", user: "u1" };
const voided = { ...b1, status: 409, body: messages.voided };

/** A history: b1 confirmed (by `sale`), then a demo request to `path` answered `status`, then the checkouts in `after`. */
function freedAfterSale(path: string, status: number, after: FakeCheckout[], sale: FakeCheckout = { ...b1, status: 200 }) {
  const history = new History();
  historyOf([sale], history);
  const free = history.invoke("demo", "free", { path, seatId: "s1" });
  history.complete(free, status === 200 ? "ok" : "fail", { status, body: "" });
  return historyOf(after, history);
}

const verdict = (checker: Checker, ops: ReturnType<typeof freedAfterSale>, state: ReturnType<typeof stateOf>) => checker.check(ops, state).valid;

describe("a sale the demo freed (voided)", () => {
  const refunded = [charge("b1", "s1"), { ...charge("b1", "s1"), kind: "refund" as const }];

  it("is a failed booking once the seat is no longer SOLD to it: refunded and refused, every invariant holds", () => {
    const ops = freedAfterSale("/Ticket/s1/release", 200, [voided]);
    const state = stateOf([], refunded);
    expect(bookingsOf(ops, state.tickets)[0]).toMatchObject({ outcome: "fail", voided: { freedAt: expect.any(Number) } });
    for (const checker of [endedStaysEnded, exactlyOnceCharge, noLostBooking, noDoubleSale]) expect(verdict(checker, ops, state)).toBe(true);
  });

  it("must give its money back and refuse a retry sent after the free", () => {
    const ops = freedAfterSale("/Ticket/s1/cleanup", 200, [{ ...b1, status: 200 }]);
    const state = stateOf([], [charge("b1", "s1")]);
    expect(verdict(exactlyOnceCharge, ops, state)).toBe(false);
    expect(endedStaysEnded.check(ops, state).problems.join()).toContain('answered "confirmed" after a demo request had freed its seat');
  });

  it("counts the game's reset for the demo seats only", () => {
    const onDemoSeat = { ...b1, seat: "seat-7" };
    const history = new History();
    historyOf([{ ...onDemoSeat, status: 200 }], history);
    const reset = history.invoke("demo", "reset", { path: "/GameManager/reset" });
    history.complete(reset, "ok", { status: 200, body: "" });
    historyOf([{ ...b1, status: 200 }], history);
    const [demo, own] = bookingsOf(history.ops, stateOf([]).tickets);
    expect(demo?.voided).toBeDefined();
    expect(own?.voided).toBeUndefined();
  });

  it("is not excused by a free the Worker refused, nor when the seat is still SOLD to it", () => {
    const refusedFree = freedAfterSale("/Ticket/s1/release", 404, [{ ...b1, status: 200 }]);
    expect(verdict(noLostBooking, refusedFree, stateOf([]))).toBe(false);
    const stillSold = freedAfterSale("/Ticket/s1/release", 200, [{ ...b1, status: 200 }]);
    expect(bookingsOf(stillSold, stateOf([sold("s1", "b1", "u1")]).tickets)[0]?.voided).toBeUndefined();
  });

  it("may be confirmed again by Restate's stored answer to an idempotency key sent before the free, and only so", () => {
    const keyed = { ...b1, idempotencyKey: "k1" };
    const stored = freedAfterSale("/Ticket/s1/release", 200, [{ ...keyed, status: 200 }, voided], { ...keyed, status: 200 });
    expect(verdict(endedStaysEnded, stored, stateOf([], refunded))).toBe(true);
    const newKey = freedAfterSale("/Ticket/s1/release", 200, [voided, { ...b1, idempotencyKey: "k2", status: 200 }]);
    expect(verdict(endedStaysEnded, newKey, stateOf([], refunded))).toBe(false);
  });

  it("may not be confirmed again once it was refused", () => {
    const ops = freedAfterSale("/Ticket/s1/release", 200, [voided, { ...b1, status: 200 }]);
    expect(verdict(endedStaysEnded, ops, stateOf([], refunded))).toBe(false);
  });

  it("excuses a hold the demo freed under a booking: its 409 and refund come before the hold's TTL", () => {
    const history = new History();
    history.expect("worker-settings", { holdTtlMs: 60_000 });
    const checkout = history.invoke("u1", "checkout", { ticketId: "s1", userId: "u1", bookingId: "b1" });
    const free = history.invoke("demo", "free", { path: "/Ticket/s1/release", seatId: "s1" });
    history.complete(free, "ok", { status: 200, body: "" });
    history.complete(checkout, "fail", { status: 409, body: `${messages.holdLost}; ${messages.refunded}` });
    expect(holdsEndByOwn.check(history.ops, stateOf([])).valid).toBe(true);
    const alone = new History();
    alone.expect("worker-settings", { holdTtlMs: 60_000 });
    historyOf([{ ...b1, status: 409, body: `${messages.holdLost}; ${messages.refunded}` }], alone);
    expect(holdsEndByOwn.check(alone.ops, stateOf([])).valid).toBe(false);
  });
});
