import type { FinalState } from "../history/final-state.js";
import type { TicketRecord } from "../worker/worker-description.js";
import type { LedgerEntry } from "../gateway/ledger.js";
import { History, type Op } from "../history/history.js";
import { chargeKeyOf } from "../../worker/contract.js";

/** A checkout for a test history: booking id, seat, user, and the HTTP status it got (0: no answer). */
export interface FakeCheckout {
  bookingId: string;
  seat: string;
  user: string;
  status: number;
  body?: string;
  expectStatus?: number;
  idempotencyKey?: string;
}

/** A history of the given checkouts, each invoked and then completed as its status says. */
export function historyOf(checkouts: FakeCheckout[], history = new History()): Op[] {
  for (const c of checkouts) {
    const op = history.invoke(c.user, "checkout", {
      ticketId: c.seat,
      userId: c.user,
      bookingId: c.bookingId,
      expectStatus: c.expectStatus,
      idempotencyKey: c.idempotencyKey,
    });
    const type = c.status === 200 ? "ok" : c.status === 0 ? "info" : "fail";
    history.complete(op, type, { status: c.status, body: c.body ?? "" });
  }
  return history.ops;
}

/** A SOLD ticket owned by `bookingId` and `user`. */
export function sold(seat: string, bookingId: string, user: string): TicketRecord {
  return { seatId: seat, status: "SOLD", reservedBy: user, reservedUntil: null, bookingId };
}

let seq = 0;

/** A ledger entry: a fresh successful charge of `bookingId` unless overridden. */
export function charge(bookingId: string, seat: string, overrides: Partial<LedgerEntry> = {}): LedgerEntry {
  seq += 1;
  return {
    seq,
    kind: "charge",
    idempotencyKey: chargeKeyOf(bookingId, seat),
    bookingId,
    ticketId: seat,
    userId: null,
    chargeKey: null,
    paymentMethodId: "card_success",
    amount: 100,
    status: 200,
    transactionId: `tx-${seq}`,
    replay: false,
    injected: false,
    arrivedAt: 0,
    at: 0,
    ...overrides,
  };
}

/** A final state from tickets, a ledger and a SeatMap view (default: the view matches the tickets). */
export function stateOf(tickets: TicketRecord[], ledger: LedgerEntry[] = [], seatMap?: Record<string, string>): FinalState {
  return {
    tickets: Object.fromEntries(tickets.map((t) => [t.seatId, t])),
    seatMap: seatMap ?? Object.fromEntries(tickets.map((t) => [t.seatId, t.status])),
    ledger,
    invocations: {},
    busy: [],
    readAt: Date.now(),
  };
}

/** `ops` with their times set from `times` (ms since the history began), for checkers that judge timing. */
export function atTimes(ops: Op[], times: Record<number, number>): Op[] {
  return ops.map((op) => (times[op.index] === undefined ? op : { ...op, time: times[op.index]! }));
}
