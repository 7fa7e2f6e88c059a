import { bookingsOf } from "../history/bookings.js";
import { Findings, type Checker } from "./checker.js";

/**
 * No seat is sold twice: at most one ok booking per seat; every SOLD seat belongs to one booking of the history,
 * to that booking's user, and that booking is ok or info, never fail.
 */
export const noDoubleSale: Checker = {
  name: "no-double-sale",
  check(history, state) {
    const found = new Findings();
    const bookings = bookingsOf(history, state.tickets);
    const byId = new Map(bookings.map((b) => [b.bookingId, b]));
    const okBySeat = new Map<string, string[]>();
    for (const b of bookings) if (b.outcome === "ok") okBySeat.set(b.ticketId, [...(okBySeat.get(b.ticketId) ?? []), b.bookingId]);
    for (const [seat, ids] of okBySeat) {
      if (ids.length > 1) found.add(`seat ${seat} was confirmed to ${ids.length} bookings: ${ids.join(", ")}`, { seats: [seat], bookings: ids });
    }
    let sold = 0;
    for (const ticket of Object.values(state.tickets)) {
      if (ticket.status !== "SOLD") continue;
      sold += 1;
      const owner = ticket.bookingId === null ? undefined : byId.get(ticket.bookingId);
      if (!owner) {
        found.add(`seat ${ticket.seatId} is SOLD to booking ${ticket.bookingId ?? "(none)"}, which no client made`, {
          seats: [ticket.seatId],
          bookings: [ticket.bookingId],
        });
        continue;
      }
      const about = { seats: [ticket.seatId], bookings: [owner.bookingId] };
      if (owner.ticketId !== ticket.seatId)
        found.add(`seat ${ticket.seatId} is SOLD to booking ${owner.bookingId}, made for seat ${owner.ticketId}`, {
          ...about,
          seats: [ticket.seatId, owner.ticketId],
        });
      if (owner.userId !== ticket.reservedBy)
        found.add(`seat ${ticket.seatId} is SOLD to user ${ticket.reservedBy}, but booking ${owner.bookingId} is user ${owner.userId}'s`, about);
      if (owner.outcome === "fail")
        found.add(`seat ${ticket.seatId} is SOLD to booking ${owner.bookingId}, whose client was told it failed (HTTP ${owner.statuses.join(",")})`, about);
      const others = (okBySeat.get(ticket.seatId) ?? []).filter((id) => id !== owner.bookingId);
      for (const other of others)
        found.add(`booking ${other} was confirmed for seat ${ticket.seatId}, but the seat is SOLD to ${owner.bookingId}`, {
          seats: [ticket.seatId],
          bookings: [other, owner.bookingId],
        });
    }
    return found.result({ bookings: bookings.length, soldSeats: sold });
  },
};
