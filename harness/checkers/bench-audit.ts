import type { FinalState } from "../history/final-state.js";
import { movedMoney } from "../gateway/ledger.js";
import { Findings, type CheckResult } from "./checker.js";
import { malformedCharges, netCharges } from "./money.js";

/**
 * The audit of a benchmark cell, from Restate's state, the ledger entries written during the cell (no history: the
 * load engine keeps none) and the number of 200s the load engine counted: every SOLD seat belongs to one booking
 * that paid exactly once, no booking paid twice or paid for nothing, every charge is well-formed and names a booking and seat of the cell
 * (whose ids start with `prefix`), and the confirmations clients saw equal the seats sold. Pure.
 */
export function benchAudit(state: FinalState, confirmedByClients: number, prefix: string): Omit<CheckResult, "name"> {
  const found = new Findings();
  found.addAll(malformedCharges(state.ledger));
  for (const entry of state.ledger.filter(movedMoney)) {
    if (!(entry.bookingId ?? "").startsWith(prefix) || !(entry.ticketId ?? "").startsWith(prefix)) {
      found.add(`${entry.kind} #${entry.seq} names booking ${entry.bookingId ?? "(none)"} and seat ${entry.ticketId ?? "(none)"}, which are not this cell's`, {
        ledger: [entry.seq],
        bookings: [entry.bookingId],
        seats: [entry.ticketId],
      });
    }
  }
  const net = netCharges(state.ledger);
  const sold = Object.values(state.tickets).filter((t) => t.status === "SOLD");
  const owners = new Set(sold.map((t) => t.bookingId));
  for (const ticket of sold) {
    const paid = ticket.bookingId === null ? 0 : (net.get(ticket.bookingId) ?? 0);
    if (paid !== 1)
      found.add(`seat ${ticket.seatId} is SOLD to ${ticket.bookingId ?? "(no booking)"}, which paid net ${paid} times`, {
        seats: [ticket.seatId],
        bookings: [ticket.bookingId],
      });
  }
  for (const [bookingId, paid] of net) {
    if (!owners.has(bookingId) && paid !== 0) found.add(`booking ${bookingId} owns no seat but paid net ${paid} times`, { bookings: [bookingId] });
  }
  if (confirmedByClients !== sold.length) found.add(`clients were told ${confirmedByClients} bookings confirmed, but ${sold.length} seats are SOLD`);
  for (const busy of state.busy) found.add(`still busy after the cell: ${busy}`);
  return found.result({ sold: sold.length, confirmed: confirmedByClients });
}
