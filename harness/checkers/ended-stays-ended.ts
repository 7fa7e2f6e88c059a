import { chargeKeyOf } from "../../worker/contract.js";
import { bookingsOf, type Booking } from "../history/bookings.js";
import { epochOf } from "../history/history.js";
import { Findings, type Checker } from "./checker.js";

/**
 * What is wrong with the answers of a booking whose sale the demo voided: confirmed, then only ever refused with 409.
 * A confirmation to a request under an idempotency key sent before the void is Restate's stored answer to that key
 * given again (the ingress answers a key it has seen complete without calling the Worker), not the Worker's word.
 */
function voidProblems(booking: Booking): string[] {
  const problems: string[] = [];
  const wrong = booking.definiteStatuses.filter((s) => s !== 200 && s !== 409);
  if (wrong.length > 0) problems.push(`booking ${booking.bookingId} was confirmed, its sale voided by the demo, and it also answered HTTP ${wrong.join(", ")}`);
  const refusedAt = Math.min(...booking.answers.filter((a) => a.status === 409).map((a) => a.index));
  const freedAt = booking.voided?.freedAt ?? Infinity;
  const storedByRestate = (key: string | undefined) =>
    key !== undefined && booking.answers.some((a) => a.idempotencyKey === key && a.invokeIndex < Math.min(refusedAt, freedAt));
  for (const answer of booking.answers.filter((a) => a.status === 200 && !storedByRestate(a.idempotencyKey))) {
    if (answer.invokeIndex > refusedAt) {
      problems.push(`booking ${booking.bookingId} was refused (409) once the demo voided its sale, then a later request was confirmed again`);
    } else if (answer.invokeIndex > freedAt) {
      problems.push(
        `booking ${booking.bookingId} was answered "confirmed" after a demo request had freed its seat ${booking.ticketId}: a voided sale is refused`,
      );
    }
  }
  return problems;
}

/**
 * Ended bookings stay ended: every definite answer to a booking's request has the same status (confirmed stays
 * confirmed, declined stays declined, failed stays failed); a request sent after its first definite answer that is
 * answered with an HTTP 5xx is a failure, not "unknown" (the booking's answer is recorded: a retry gets it again; no
 * answer at all, a timeout or a reset connection, stays unknown); and once a booking had its first definite answer no
 * charge request of it reaches the gateway again, whether or not the gateway still knows its key (judged by the
 * history's `expect clock`; a history without one cannot be judged: unknown). The one change allowed is the demo's void
 * of a sale (Booking.voided): confirmed, then refused with 409, never confirmed again once refused or once a demo request
 * sent after its confirmation freed its seat (the refund is exactly-once-charge's to judge).
 */
export const endedStaysEnded: Checker = {
  name: "ended-stays-ended",
  check(history, state) {
    const found = new Findings();
    const bookings = bookingsOf(history, state.tickets);
    const epoch = epochOf(history);
    let unjudged = 0;
    for (const booking of bookings) {
      const classes = [...new Set(booking.definiteStatuses)];
      if (booking.voided !== undefined) for (const problem of voidProblems(booking)) found.add(problem, { bookings: [booking.bookingId] });
      else if (classes.length > 1)
        found.add(`booking ${booking.bookingId} ended more than once: HTTP ${booking.definiteStatuses.join(", ")}`, { bookings: [booking.bookingId] });
      const ended = booking.answers.find((a) => a.type !== "info");
      if (ended === undefined) continue;
      for (const answer of booking.answers) {
        if (answer.type !== "info" || answer.status < 500 || answer.invokeIndex < ended.index) continue;
        found.add(
          `booking ${booking.bookingId} ended (HTTP ${ended.status}); a retry sent ${answer.invokedAt - ended.time} ms later was answered HTTP ${answer.status} ${answer.body.slice(0, 120)}: an ended booking answers with its recorded status`,
          { bookings: [booking.bookingId] },
        );
      }
      if (epoch === undefined) {
        unjudged += 1;
        continue;
      }
      const endedAt = epoch + ended.time;
      const key = chargeKeyOf(booking.bookingId, booking.ticketId);
      const later = state.ledger.filter((e) => e.kind === "charge" && (e.idempotencyKey === key || e.bookingId === booking.bookingId) && e.arrivedAt > endedAt);
      for (const entry of later) {
        found.add(
          `booking ${booking.bookingId} ended (HTTP ${ended.status}) ${entry.arrivedAt - endedAt} ms before charge #${entry.seq} of it reached the gateway (HTTP ${entry.status}${entry.replay ? ", replayed" : ""})`,
          {
            bookings: [booking.bookingId],
            ledger: [entry.seq],
          },
        );
      }
    }
    const valid = !found.none ? false : unjudged > 0 ? "unknown" : true;
    if (unjudged > 0) found.add(`${unjudged} ended bookings: the history has no clock (expect clock) to set them beside the ledger`);
    return found.result({ ended: bookings.filter((b) => b.definiteStatuses.length > 0).length }, valid);
  },
};
