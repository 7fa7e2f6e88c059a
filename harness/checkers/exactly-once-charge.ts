import { bookingsOf } from "../history/bookings.js";
import { movedMoney } from "../gateway/ledger.js";
import { Findings, type Checker } from "./checker.js";
import { netCharges } from "./money.js";

/**
 * Every booking pays exactly what it got: net one charge for the booking that owns a SOLD seat (and for every ok
 * booking), net zero for a failed booking (no money kept by a failed booking, once quiet; a sale the demo voided is
 * one) or an info booking that owns nothing; never two charges for one booking, never a refund without a charge.
 */
export const exactlyOnceCharge: Checker = {
  name: "exactly-once-charge",
  check(history, state) {
    const found = new Findings();
    const net = netCharges(state.ledger);
    const owners = new Set(
      Object.values(state.tickets)
        .filter((t) => t.status === "SOLD")
        .map((t) => t.bookingId),
    );
    for (const booking of bookingsOf(history, state.tickets)) {
      const paid = net.get(booking.bookingId) ?? 0;
      const owns = owners.has(booking.bookingId);
      const expected = booking.outcome === "ok" || owns ? 1 : 0;
      if (paid !== expected) {
        found.add(
          `booking ${booking.bookingId} (${booking.voided ? "confirmed, its sale voided by the demo" : booking.outcome}, seat ${booking.ticketId}${owns ? " owned" : ""}) paid net ${paid} times, expected ${expected}`,
          {
            bookings: [booking.bookingId],
            seats: [booking.ticketId],
          },
        );
      }
    }
    const charged = state.ledger.filter((e) => e.kind === "charge" && movedMoney(e)).length;
    return found.result({ charges: charged, refunds: state.ledger.filter((e) => e.kind === "refund" && movedMoney(e)).length });
  },
};

/** Bookings refused with one of `statuses` (e.g. 409: the seat was taken) never reached a successful charge at all. */
export function refusedNotCharged(statuses: number[]): Checker {
  return {
    name: `refused-not-charged(${statuses.join("|")})`,
    check(history, state) {
      const refused = bookingsOf(history, state.tickets).filter((b) => b.outcome === "fail" && b.definiteStatuses.every((s) => statuses.includes(s)));
      const ids = new Set(refused.map((b) => b.bookingId));
      const charged = state.ledger.filter((e) => e.kind === "charge" && movedMoney(e) && e.bookingId !== null && ids.has(e.bookingId));
      const found = new Findings();
      for (const e of charged) {
        found.add(`booking ${e.bookingId} was refused (seat ${e.ticketId}) but charged (ledger #${e.seq}${e.transactionId ? `, ${e.transactionId}` : ""})`, {
          bookings: [e.bookingId],
          seats: [e.ticketId],
          ledger: [e.seq],
        });
      }
      return found.result({ refused: refused.length });
    },
  };
}
