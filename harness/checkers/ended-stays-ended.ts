import { chargeKeyOf } from "../../worker/contract.js";
import { bookingsOf } from "../bookings.js";
import { wallClockOf } from "../history.js";
import { verdictOf, type Checker } from "./checker.js";

/**
 * Ended bookings stay ended: every definite answer to a booking's request has the same status (confirmed stays
 * confirmed, declined stays declined, failed stays failed), and once a booking had its first definite answer no charge
 * request of it reaches the gateway again, whether or not the gateway still knows its key.
 */
export const endedStaysEnded: Checker = {
  name: "ended-stays-ended",
  check(history, state) {
    const problems: string[] = [];
    const bookings = bookingsOf(history);
    for (const booking of bookings) {
      const classes = [...new Set(booking.definiteStatuses)];
      if (classes.length > 1) problems.push(`booking ${booking.bookingId} ended more than once: HTTP ${booking.definiteStatuses.join(", ")}`);
      const ended = booking.answers.find((a) => a.type !== "info");
      const endedAt = ended === undefined ? undefined : wallClockOf(history, ended);
      if (endedAt === undefined) continue;
      const key = chargeKeyOf(booking.bookingId, booking.ticketId);
      const later = state.ledger.filter((e) => e.kind === "charge" && (e.idempotencyKey === key || e.bookingId === booking.bookingId) && e.arrivedAt > endedAt);
      for (const entry of later) {
        problems.push(`booking ${booking.bookingId} ended (HTTP ${ended!.status}) ${entry.arrivedAt - endedAt} ms before charge #${entry.seq} of it reached the gateway (HTTP ${entry.status}${entry.replay ? ", replayed" : ""})`);
      }
    }
    return { valid: verdictOf(problems), problems, stats: { ended: bookings.filter((b) => b.definiteStatuses.length > 0).length } };
  },
};
