import { bookingsOf, OTHER_REQUEST_STATUS } from "../history/bookings.js";
import { Findings, type Checker } from "./checker.js";

const describe = (r: { ticketId: string; userId: string; paymentMethodId: string }) => `seat ${r.ticketId}, user ${r.userId}, ${r.paymentMethodId}`;

/**
 * One booking id, one booking: the id is bound to one request (seat, user, card). Every definite answer to a request
 * with other parameters under the same id is 422, the bound request is never refused as another, and no seat but
 * the bound one is held or sold under the id.
 */
export const oneBookingPerId: Checker = {
  name: "one-booking-per-id",
  check(history, state) {
    const found = new Findings();
    const bookings = bookingsOf(history);
    for (const booking of bookings) {
      for (const other of booking.others) {
        const wrong = other.definiteStatuses.filter((s) => s !== OTHER_REQUEST_STATUS);
        if (wrong.length > 0) {
          found.add(
            `booking ${booking.bookingId} (${describe(booking)}) also answered HTTP ${wrong.join(",")} to a request for ${describe(other)}, expected ${OTHER_REQUEST_STATUS}`,
            {
              bookings: [booking.bookingId],
              seats: [booking.ticketId, other.ticketId],
            },
          );
        }
      }
      if (booking.definiteStatuses.includes(OTHER_REQUEST_STATUS)) {
        found.add(`booking ${booking.bookingId} refused its own request (${describe(booking)}) with HTTP ${OTHER_REQUEST_STATUS}`, {
          bookings: [booking.bookingId],
          seats: [booking.ticketId],
        });
      }
    }
    const seatOf = new Map(bookings.map((b) => [b.bookingId, b.ticketId]));
    for (const ticket of Object.values(state.tickets)) {
      const seat = ticket.bookingId === null ? undefined : seatOf.get(ticket.bookingId);
      if (ticket.status !== "AVAILABLE" && seat !== undefined && seat !== ticket.seatId) {
        found.add(`seat ${ticket.seatId} is ${ticket.status} under booking ${ticket.bookingId}, which was made for seat ${seat}`, {
          bookings: [ticket.bookingId],
          seats: [ticket.seatId, seat],
        });
      }
    }
    return found.result({ reused: bookings.filter((b) => b.others.length > 0).length });
  },
};
