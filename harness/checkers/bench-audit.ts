import type { FinalState } from "../final-state.js";
import { movedMoney } from "../gateway/ledger.js";
import { netCharges } from "./exactly-once-charge.js";
import type { CheckResult } from "./checker.js";

/**
 * The audit of a benchmark cell, from Restate's state and the ledger (no history: k6 keeps none) and the number of
 * 200s k6 counted: every SOLD seat belongs to one booking that paid exactly once, no booking paid twice or paid for
 * nothing, and the confirmations clients saw equal the seats sold. Pure.
 */
export function benchAudit(state: FinalState, confirmedByClients: number): Omit<CheckResult, "name"> {
  const problems: string[] = [];
  const net = netCharges(state.ledger);
  const sold = Object.values(state.tickets).filter((t) => t.status === "SOLD");
  const owners = new Set(sold.map((t) => t.bookingId));
  for (const ticket of sold) {
    const paid = ticket.bookingId === null ? 0 : (net.get(ticket.bookingId) ?? 0);
    if (paid !== 1) problems.push(`seat ${ticket.seatId} is SOLD to ${ticket.bookingId ?? "(no booking)"}, which paid net ${paid} times`);
  }
  for (const [bookingId, paid] of net) {
    if (!owners.has(bookingId) && paid !== 0) problems.push(`booking ${bookingId} owns no seat but paid net ${paid} times`);
  }
  const keyless = state.ledger.filter((e) => e.kind === "charge" && e.idempotencyKey === null && movedMoney(e)).length;
  if (keyless > 0) problems.push(`${keyless} charges came without an idempotency key`);
  if (confirmedByClients !== sold.length) problems.push(`clients were told ${confirmedByClients} bookings confirmed, but ${sold.length} seats are SOLD`);
  for (const busy of state.busy) problems.push(`still busy after the cell: ${busy}`);
  return { valid: problems.length === 0, problems, stats: { sold: sold.length, confirmed: confirmedByClients } };
}
