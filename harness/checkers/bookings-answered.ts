import { bookingsOf } from "../history/bookings.js";
import { Findings, type Checker } from "./checker.js";

/**
 * Every booking got a definite answer in the end (confirmed or refused): a client that kept retrying with the same
 * booking id, once the faults were over, was never left without one.
 */
export const bookingsAnswered: Checker = {
  name: "bookings-answered",
  check(history) {
    const found = new Findings();
    const bookings = bookingsOf(history);
    for (const booking of bookings.filter((b) => b.outcome === "info")) {
      found.add(`booking ${booking.bookingId} got no definite answer in ${booking.attempts} attempts (statuses ${booking.statuses.join(", ")})`, {
        bookings: [booking.bookingId],
        seats: [booking.ticketId],
      });
    }
    return found.result({ bookings: bookings.length, answered: bookings.filter((b) => b.outcome !== "info").length });
  },
};
