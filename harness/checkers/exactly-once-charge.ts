import type { LedgerEntry } from "../gateway/ledger.js";
import { movedMoney } from "../gateway/ledger.js";
import { bookingsOf } from "../history.js";
import { verdictOf, type Checker } from "./checker.js";

/** Net money moved per booking: fresh successful charges minus fresh successful refunds. */
export function netCharges(ledger: LedgerEntry[]): Map<string, number> {
  const net = new Map<string, number>();
  for (const entry of ledger) {
    if (!movedMoney(entry) || entry.bookingId === null) continue;
    net.set(entry.bookingId, (net.get(entry.bookingId) ?? 0) + (entry.kind === "charge" ? 1 : -1));
  }
  return net;
}

/**
 * Every booking pays exactly what it got: net one charge for the booking that owns a SOLD seat (and for every ok
 * booking), net zero for a failed booking or an info booking that owns nothing; never two charges for one booking,
 * never a refund without a charge, never a charge without an idempotency key.
 */
export const exactlyOnceCharge: Checker = {
  name: "exactly-once-charge",
  check(history, state) {
    const problems: string[] = [];
    const net = netCharges(state.ledger);
    const owners = new Set(Object.values(state.tickets).filter((t) => t.status === "SOLD").map((t) => t.bookingId));
    const bookings = bookingsOf(history);
    for (const booking of bookings) {
      const paid = net.get(booking.bookingId) ?? 0;
      const owns = owners.has(booking.bookingId);
      const expected = booking.outcome === "ok" || owns ? 1 : 0;
      if (paid !== expected) {
        problems.push(`booking ${booking.bookingId} (${booking.outcome}, seat ${booking.ticketId}${owns ? " owned" : ""}) paid net ${paid} times, expected ${expected}`);
      }
    }
    const known = new Set(bookings.map((b) => b.bookingId));
    for (const [bookingId, paid] of net) {
      if (!known.has(bookingId) && paid !== 0) problems.push(`booking ${bookingId}, which no client made, paid net ${paid} times`);
    }
    const keyless = state.ledger.filter((e) => e.kind === "charge" && e.idempotencyKey === null);
    for (const entry of keyless) problems.push(`charge #${entry.seq} for booking ${entry.bookingId ?? "?"} came without an Idempotency-Key`);
    const charged = state.ledger.filter((e) => e.kind === "charge" && movedMoney(e)).length;
    return { valid: verdictOf(problems), problems, stats: { charges: charged, refunds: state.ledger.filter((e) => e.kind === "refund" && movedMoney(e)).length } };
  },
};

/** Bookings refused with one of `statuses` (e.g. 409: the seat was taken) never reached a successful charge at all. */
export function refusedNotCharged(statuses: number[]): Checker {
  return {
    name: `refused-not-charged(${statuses.join("|")})`,
    check(history, state) {
      const refused = bookingsOf(history).filter((b) => b.outcome === "fail" && b.definiteStatuses.every((s) => statuses.includes(s)));
      const ids = new Set(refused.map((b) => b.bookingId));
      const charged = state.ledger.filter((e) => e.kind === "charge" && movedMoney(e) && e.bookingId !== null && ids.has(e.bookingId));
      const problems = charged.map((e) => `booking ${e.bookingId} was refused (seat ${e.ticketId}) but charged (ledger #${e.seq}${e.transactionId ? `, ${e.transactionId}` : ""})`);
      return { valid: verdictOf(problems), problems, stats: { refused: refused.length } };
    },
  };
}
