import { messages } from "../../worker/contract.js";
import { bookingsOf } from "../history/bookings.js";
import { expectations } from "../history/history.js";
import { freesOfSeat, seatFreesOf } from "../history/seat-frees.js";
import { Findings, type Checker } from "./checker.js";

/**
 * A hold is ended only by its own timer or its own booking: a booking told that its hold was lost while it paid (its
 * answer says the payment was refunded) got that answer no sooner than the hold's TTL after it began, since only its
 * own expiry timer may end its hold, unless a demo request that frees its seat (a release, a cleanup, a game reset)
 * was sent meanwhile. Reads the TTL from the history's `expect worker-settings`.
 */
export const holdsEndByOwn: Checker = {
  name: "holds-end-by-own",
  check(history) {
    const found = new Findings();
    const ttl = expectations(history, "worker-settings")
      .map((e) => e.holdTtlMs)
      .find((v): v is number => typeof v === "number");
    const frees = seatFreesOf(history);
    let lost = 0;
    for (const booking of bookingsOf(history)) {
      const freedByDemo = (until: number) => freesOfSeat(frees, booking.ticketId, booking.firstInvokedAt, until).length > 0;
      for (const answer of booking.answers) {
        if (answer.status !== 409 || !answer.body.includes(messages.refunded) || freedByDemo(answer.time)) continue;
        lost += 1;
        const after = answer.time - booking.firstInvokedAt;
        if (ttl === undefined)
          found.add(`booking ${booking.bookingId} lost its hold, and the history does not say the Worker's hold TTL (expect worker-settings) to judge it by`, {
            bookings: [booking.bookingId],
          });
        else if (after < ttl) {
          found.add(
            `booking ${booking.bookingId} lost its hold on seat ${booking.ticketId} ${after} ms after it began, before its ${ttl} ms hold could expire: something else ended it`,
            {
              bookings: [booking.bookingId],
              seats: [booking.ticketId],
            },
          );
        }
      }
    }
    return found.result({ holdsLost: lost }, ttl === undefined && lost > 0 ? "unknown" : found.none);
  },
};
