import { bookingsOf } from "../bookings.js";
import { verdictOf, type Checker } from "./checker.js";

/**
 * Every ok booking's seat is SOLD to that booking and its user: a confirmed booking is never lost. And every booking
 * is resolved once the system is quiet: none, whatever its outcome (fail or unknown), still holds its seat RESERVED.
 */
export const noLostBooking: Checker = {
  name: "no-lost-booking",
  check(history, state) {
    const problems: string[] = [];
    const bookings = bookingsOf(history);
    for (const booking of bookings) {
      const ticket = state.tickets[booking.ticketId];
      if (ticket?.status === "RESERVED" && ticket.bookingId === booking.bookingId) {
        problems.push(`booking ${booking.bookingId} (${booking.outcome}) is over, but it still holds seat ${booking.ticketId} RESERVED`);
      }
    }
    const ok = bookings.filter((b) => b.outcome === "ok");
    for (const booking of ok) {
      const ticket = state.tickets[booking.ticketId];
      if (!ticket || ticket.status !== "SOLD") {
        problems.push(`booking ${booking.bookingId} was confirmed, but seat ${booking.ticketId} is ${ticket?.status ?? "AVAILABLE (no state)"}`);
      } else if (ticket.bookingId !== booking.bookingId || ticket.reservedBy !== booking.userId) {
        problems.push(`booking ${booking.bookingId} (user ${booking.userId}) was confirmed, but seat ${booking.ticketId} is SOLD to booking ${ticket.bookingId} (user ${ticket.reservedBy})`);
      }
    }
    return { valid: verdictOf(problems), problems, stats: { confirmed: ok.length } };
  },
};
