import { chargeKeyOf, TICKET_PRICE } from "../../worker/contract.js";
import type { FinalState } from "../history/final-state.js";
import type { Booking } from "../history/bookings.js";
import { movedMoney, type LedgerEntry } from "../gateway/ledger.js";
import type { Finding } from "./checker.js";

// Money in the gateway's ledger, booking by booking: what each booking paid, and the entries that are wrong in
// themselves or that no booking of the run can claim. Shared by the checkers and the benchmark's audit.

/** Net money moved per booking (by the booking its entry names): fresh successful charges minus fresh refunds. */
export function netCharges(ledger: LedgerEntry[]): Map<string, number> {
  const net = new Map<string, number>();
  for (const entry of ledger) {
    if (!movedMoney(entry) || entry.bookingId === null) continue;
    net.set(entry.bookingId, (net.get(entry.bookingId) ?? 0) + (entry.kind === "charge" ? 1 : -1));
  }
  return net;
}

const label = (e: LedgerEntry): string => `${e.kind} #${e.seq}${e.transactionId ? ` (${e.transactionId})` : ""}`;

/**
 * Charges that took money but are wrong in themselves: no idempotency key, a key that does not name the booking and
 * seat of its own metadata, or an amount other than the ticket's price.
 */
export function malformedCharges(ledger: LedgerEntry[]): Finding[] {
  const found: Finding[] = [];
  for (const entry of ledger.filter((e) => e.kind === "charge" && movedMoney(e))) {
    const about = { ledger: [entry.seq], bookings: [entry.bookingId] };
    if (entry.idempotencyKey === null) {
      found.push({ problem: `${label(entry)} for booking ${entry.bookingId ?? "?"} came without an Idempotency-Key`, about });
      continue;
    }
    if (entry.bookingId === null || entry.ticketId === null || entry.idempotencyKey !== chargeKeyOf(entry.bookingId, entry.ticketId)) {
      found.push({
        problem: `${label(entry)} under key ${entry.idempotencyKey} does not name its own booking ${entry.bookingId ?? "?"} and seat ${entry.ticketId ?? "?"}`,
        about: { ...about, seats: [entry.ticketId] },
      });
    }
    if (entry.amount !== TICKET_PRICE)
      found.push({ problem: `${label(entry)} for booking ${entry.bookingId ?? "?"} took ${entry.amount}, the ticket costs ${TICKET_PRICE}`, about });
  }
  return found;
}

/** Who may have paid for what: each booking id of the history with the seat it is bound to, and each SOLD seat's owner. */
export function claimantsOf(bookings: Booking[], state: FinalState): Map<string, Set<string>> {
  const claimants = new Map<string, Set<string>>();
  const add = (bookingId: string, seat: string) => claimants.set(bookingId, (claimants.get(bookingId) ?? new Set()).add(seat));
  for (const booking of bookings) add(booking.bookingId, booking.ticketId);
  for (const ticket of Object.values(state.tickets)) if (ticket.bookingId !== null && ticket.status !== "AVAILABLE") add(ticket.bookingId, ticket.seatId);
  return claimants;
}

/** Money-moving entries that no claimant can claim: the booking they name is unknown, or was made for another seat. */
export function unclaimedEntries(ledger: LedgerEntry[], claimants: Map<string, Set<string>>): Finding[] {
  const found: Finding[] = [];
  for (const entry of ledger.filter(movedMoney)) {
    const seats = entry.bookingId === null ? undefined : claimants.get(entry.bookingId);
    if (seats === undefined) {
      found.push({
        problem: `${label(entry)} of ${entry.amount} names booking ${entry.bookingId ?? "(none)"}, which no client of the run made`,
        about: { ledger: [entry.seq], bookings: [entry.bookingId] },
      });
    } else if (entry.ticketId === null || !seats.has(entry.ticketId)) {
      found.push({
        problem: `${label(entry)} of ${entry.amount} for booking ${entry.bookingId} names seat ${entry.ticketId ?? "(none)"}, but the booking was made for ${[...seats].join(", ")}`,
        about: { ledger: [entry.seq], bookings: [entry.bookingId], seats: [entry.ticketId, ...seats] },
      });
    }
  }
  return found;
}
