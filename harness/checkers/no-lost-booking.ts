import { bookingsOf } from "../history/bookings.js";
import { Findings, type Checker } from "./checker.js";

/**
 * Every ok booking's seat is SOLD to that booking and its user: a confirmed booking is never lost. And every booking
 * is resolved once the system is quiet: none, whatever its outcome (fail or unknown), still holds its seat RESERVED.
 */
export const noLostBooking: Checker = {
  name: "no-lost-booking",
  check(history, state) {
    const found = new Findings();
    const bookings = bookingsOf(history, state.tickets);
    for (const booking of bookings) {
      const ticket = state.tickets[booking.ticketId];
      if (ticket?.status === "RESERVED" && ticket.bookingId === booking.bookingId) {
        found.add(`booking ${booking.bookingId} (${booking.outcome}) is over, but it still holds seat ${booking.ticketId} RESERVED`, {
          bookings: [booking.bookingId],
          seats: [booking.ticketId],
        });
      }
    }
    const ok = bookings.filter((b) => b.outcome === "ok");
    for (const booking of ok) {
      const ticket = state.tickets[booking.ticketId];
      if (ticket?.status !== "SOLD") {
        found.add(`booking ${booking.bookingId} was confirmed, but seat ${booking.ticketId} is ${ticket?.status ?? "AVAILABLE (no state)"}`, {
          bookings: [booking.bookingId],
          seats: [booking.ticketId],
        });
      } else if (ticket.bookingId !== booking.bookingId || ticket.reservedBy !== booking.userId) {
        found.add(
          `booking ${booking.bookingId} (user ${booking.userId}) was confirmed, but seat ${booking.ticketId} is SOLD to booking ${ticket.bookingId} (user ${ticket.reservedBy})`,
          {
            bookings: [booking.bookingId, ticket.bookingId],
            seats: [booking.ticketId],
          },
        );
      }
    }
    return found.result({ confirmed: ok.length });
  },
};
