import type { TicketRecord } from "../worker/worker-description.js";
import { Findings, type CheckResult } from "./checker.js";

/** What a run left in Restate that the state audit reads: the run's seats, and its invocations still busy. */
export interface RunState {
  tickets: Record<string, TicketRecord>;
  busy: string[];
}

/**
 * The audit of a finished run from Restate's state alone, for a run whose payment ledger is not the harness's (a
 * deployed Worker charging a real gateway): every SOLD seat of the run (ids starting with `prefix`) names one booking
 * of the run, no booking owns two seats, nothing is still busy, and, when the clients' count of 200s is given, as many
 * seats are SOLD as clients were told confirmed. It cannot judge money: that needs the ledger (benchAudit). Pure.
 */
export function stateAudit(state: RunState, prefix: string, confirmedByClients?: number): Omit<CheckResult, "name"> {
  const found = new Findings();
  const seats = Object.values(state.tickets);
  const sold = seats.filter((t) => t.status === "SOLD");
  const owner = new Map<string, string>();
  for (const ticket of sold) {
    if (ticket.bookingId === null || !ticket.bookingId.startsWith(prefix)) {
      found.add(`seat ${ticket.seatId} is SOLD to ${ticket.bookingId ?? "no booking"}, which is not a booking of this run`, {
        seats: [ticket.seatId],
        bookings: [ticket.bookingId],
      });
      continue;
    }
    const other = owner.get(ticket.bookingId);
    if (other !== undefined)
      found.add(`booking ${ticket.bookingId} owns two seats: ${other} and ${ticket.seatId}`, { seats: [other, ticket.seatId], bookings: [ticket.bookingId] });
    owner.set(ticket.bookingId, ticket.seatId);
  }
  if (confirmedByClients !== undefined && confirmedByClients !== sold.length) {
    found.add(`clients were told ${confirmedByClients} bookings confirmed, but ${sold.length} seats are SOLD`);
  }
  for (const busy of state.busy) found.add(`still busy after the run: ${busy}`);
  const count = (status: TicketRecord["status"]) => seats.filter((t) => t.status === status).length;
  return found.result({
    seats: seats.length,
    sold: sold.length,
    reserved: count("RESERVED"),
    available: count("AVAILABLE"),
    ...(confirmedByClients !== undefined ? { confirmed: confirmedByClients } : {}),
  });
}
