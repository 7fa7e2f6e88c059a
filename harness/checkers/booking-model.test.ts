import { describe, expect, it } from "vitest";
import { messages } from "../../worker/contract.js";
import { History } from "../history/history.js";
import { bookingModel } from "./booking-model.js";
import { historyOf, sold, stateOf } from "./fixtures.js";

const reserved = (seat: string, bookingId: string) => ({ ...sold(seat, bookingId, "u1"), status: "RESERVED" as const, reservedUntil: Date.now() });

function withCards(cards: Array<{ bookingId: string; seat: string; card: string; status: number; body?: string }>) {
  const history = new History();
  for (const c of cards) {
    const op = history.invoke("c", "checkout", { ticketId: c.seat, userId: "u1", bookingId: c.bookingId, paymentMethodId: c.card });
    history.complete(op, c.status === 200 ? "ok" : c.status === 0 ? "info" : "fail", { status: c.status, body: c.body ?? "" });
  }
  return history.ops;
}

describe("booking-model", () => {
  it("accepts a winner, a loser refused for the winner's seat, and a declined card on a free seat", () => {
    const ops = historyOf([
      { bookingId: "b1", seat: "s1", user: "u1", status: 200 },
      { bookingId: "b2", seat: "s1", user: "u2", status: 409, body: messages.sold },
    ]);
    expect(bookingModel.check(ops, stateOf([sold("s1", "b1", "u1")])).valid).toBe(true);
    const declined = withCards([{ bookingId: "b3", seat: "s2", card: "card_decline", status: 402 }]);
    expect(bookingModel.check(declined, stateOf([])).valid).toBe(true);
  });

  it("rejects an answer the card does not allow: a declined card confirmed, a good card declined", () => {
    expect(bookingModel.check(withCards([{ bookingId: "b1", seat: "s1", card: "card_decline", status: 200 }]), stateOf([sold("s1", "b1", "u1")])).valid).toBe(
      false,
    );
    expect(bookingModel.check(withCards([{ bookingId: "b1", seat: "s1", card: "card_success", status: 402 }]), stateOf([])).valid).toBe(false);
    expect(bookingModel.check(withCards([{ bookingId: "b1", seat: "s1", card: "card_success", status: 500 }]), stateOf([])).valid).toBe(false);
  });

  it("allows a booking whose id holds the charge key's separator or is too long only 400, and a valid one never 400", () => {
    for (const [bookingId, seat] of [
      ["b1:seat:s2", "s1"],
      ["b1", "s1:seat:x"],
      ["b".repeat(118), "s1"],
    ] as const) {
      expect(bookingModel.check(withCards([{ bookingId, seat, card: "card_success", status: 400 }]), stateOf([])).valid).toBe(true);
      expect(bookingModel.check(withCards([{ bookingId, seat, card: "card_success", status: 200 }]), stateOf([sold(seat, bookingId, "u1")])).valid).toBe(false);
    }
    expect(bookingModel.check(withCards([{ bookingId: "b".repeat(117), seat: "s1", card: "card_success", status: 400 }]), stateOf([])).valid).toBe(false);
  });

  it("rejects a refusal for a seat nobody else asked for, and a 'sold' seat that ended free", () => {
    const alone = historyOf([{ bookingId: "b1", seat: "s1", user: "u1", status: 409, body: messages.held }]);
    expect(bookingModel.check(alone, stateOf([])).problems.join()).toContain("no other booking had asked for the seat");
    const handHold = new History();
    handHold.complete(handHold.invoke("demo", "reserve", { seatId: "s1", path: "/Ticket/s1/reserve" }), "ok", { status: 200 });
    const afterHandHold = historyOf([{ bookingId: "b1", seat: "s1", user: "u1", status: 409, body: messages.held }], handHold);
    expect(bookingModel.check(afterHandHold, stateOf([])).valid).toBe(true);
    const unsold = historyOf([
      { bookingId: "b1", seat: "s1", user: "u1", status: 0 },
      { bookingId: "b2", seat: "s1", user: "u2", status: 409, body: messages.sold },
    ]);
    expect(bookingModel.check(unsold, stateOf([])).problems.join()).toContain("told the seat is sold");
  });

  it("rejects a final state no sequential execution of the confirmed bookings produces", () => {
    const confirmed = historyOf([{ bookingId: "b1", seat: "s1", user: "u1", status: 200 }]);
    expect(bookingModel.check(confirmed, stateOf([])).valid).toBe(false);
    const failed = historyOf([{ bookingId: "b1", seat: "s1", user: "u1", status: 503, body: "Payment failed" }]);
    expect(bookingModel.check(failed, stateOf([sold("s1", "b1", "u1")])).valid).toBe(false);
    expect(bookingModel.check(failed, stateOf([reserved("s1", "b1")])).valid).toBe(false);
    const unknown = historyOf([{ bookingId: "b1", seat: "s1", user: "u1", status: 0 }]);
    expect(bookingModel.check(unknown, stateOf([sold("s1", "b1", "u1")])).valid).toBe(true);
    expect(bookingModel.check(unknown, stateOf([])).valid).toBe(true);
  });
});
