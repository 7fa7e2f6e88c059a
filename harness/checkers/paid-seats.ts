import { chargeKeyOf } from "../../worker/contract.js";
import { bookingsOf } from "../history/bookings.js";
import { movedMoney } from "../gateway/ledger.js";
import { Findings, type Checker } from "./checker.js";
import { claimantsOf, malformedCharges, netCharges, unclaimedEntries } from "./money.js";

/**
 * Paid seats: every SOLD seat is backed by exactly one net charge of the ticket price whose key and metadata name that
 * seat and the booking that owns it (never sold for nothing, never paid twice); every charge is well-formed; and every
 * entry that moved money is claimed by a booking of the run for the seat it names (an unclaimed one is reported).
 */
export const paidSeats: Checker = {
  name: "paid-seats",
  check(history, state) {
    const found = new Findings();
    const net = netCharges(state.ledger);
    const sold = Object.values(state.tickets).filter((t) => t.status === "SOLD");
    for (const ticket of sold) {
      if (ticket.bookingId === null) continue; // the proof of concept's bare sale: no booking, no charge to hold it to
      const paid = net.get(ticket.bookingId) ?? 0;
      const key = chargeKeyOf(ticket.bookingId, ticket.seatId);
      const charged = state.ledger.some((e) => e.kind === "charge" && movedMoney(e) && e.idempotencyKey === key && e.ticketId === ticket.seatId);
      if (paid !== 1 || !charged) {
        found.add(`seat ${ticket.seatId} is SOLD to booking ${ticket.bookingId}, which paid net ${paid} times${charged ? "" : ` (no charge under ${key})`}`, {
          seats: [ticket.seatId],
          bookings: [ticket.bookingId],
        });
      }
    }
    found.addAll(malformedCharges(state.ledger));
    found.addAll(unclaimedEntries(state.ledger, claimantsOf(bookingsOf(history), state)));
    return found.result({ soldSeats: sold.length, entries: state.ledger.filter(movedMoney).length });
  },
};
