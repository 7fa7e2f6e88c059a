import { bookingsOf } from "../bookings.js";
import { verdictOf, type Checker } from "./checker.js";

/**
 * No seat is sold twice: at most one ok booking per seat; every SOLD seat belongs to one booking of the history,
 * to that booking's user, and that booking is ok or info, never fail.
 */
export const noDoubleSale: Checker = {
  name: "no-double-sale",
  check(history, state) {
    const problems: string[] = [];
    const bookings = bookingsOf(history);
    const byId = new Map(bookings.map((b) => [b.bookingId, b]));
    const okBySeat = new Map<string, string[]>();
    for (const b of bookings) if (b.outcome === "ok") okBySeat.set(b.ticketId, [...(okBySeat.get(b.ticketId) ?? []), b.bookingId]);
    for (const [seat, ids] of okBySeat) {
      if (ids.length > 1) problems.push(`seat ${seat} was confirmed to ${ids.length} bookings: ${ids.join(", ")}`);
    }
    let sold = 0;
    for (const ticket of Object.values(state.tickets)) {
      if (ticket.status !== "SOLD") continue;
      sold += 1;
      const owner = ticket.bookingId === null ? undefined : byId.get(ticket.bookingId);
      if (!owner) {
        problems.push(`seat ${ticket.seatId} is SOLD to booking ${ticket.bookingId ?? "(none)"}, which no client made`);
        continue;
      }
      if (owner.ticketId !== ticket.seatId) problems.push(`seat ${ticket.seatId} is SOLD to booking ${owner.bookingId}, made for seat ${owner.ticketId}`);
      if (owner.userId !== ticket.reservedBy) problems.push(`seat ${ticket.seatId} is SOLD to user ${ticket.reservedBy}, but booking ${owner.bookingId} is user ${owner.userId}'s`);
      if (owner.outcome === "fail") problems.push(`seat ${ticket.seatId} is SOLD to booking ${owner.bookingId}, whose client was told it failed (HTTP ${owner.statuses.join(",")})`);
      const others = (okBySeat.get(ticket.seatId) ?? []).filter((id) => id !== owner.bookingId);
      for (const other of others) problems.push(`booking ${other} was confirmed for seat ${ticket.seatId}, but the seat is SOLD to ${owner.bookingId}`);
    }
    return { valid: verdictOf(problems), problems, stats: { bookings: bookings.length, soldSeats: sold } };
  },
};
