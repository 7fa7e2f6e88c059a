import { messages } from "../../worker/contract.js";
import { KEY_PART_PATTERN, MAX_ID_LENGTH } from "../../worker/schemas.js";
import { bookingsOf, type Booking } from "../history/bookings.js";
import { freesOfSeat, seatFreesOf } from "../history/seat-frees.js";
import { Findings, type Checker } from "./checker.js";

/** The answers the model allows a booking's own request, by card: a card that succeeds is never declined, and so on. */
const ALLOWED_STATUSES: Readonly<Record<string, readonly number[]>> = {
  card_success: [200, 409, 503],
  card_decline: [402, 409, 503],
  card_error: [409, 503],
};

/** What a booking whose seat or booking id the contract refuses is allowed: only 400, the answer to bad input. */
const REFUSED_INPUT: readonly number[] = [400];

/** A seat or booking id the contract refuses: it holds the charge key's separator, or is too long. */
const refusedId = (id: string) => !KEY_PART_PATTERN.test(id) || id.length > MAX_ID_LENGTH;

const describe = (b: Booking) => `booking ${b.bookingId} (seat ${b.ticketId}, ${b.paymentMethodId})`;
const aboutOf = (b: Booking) => ({ bookings: [b.bookingId], seats: [b.ticketId] });

/**
 * The booking model: each booking id is one booking with one outcome its card allows (a booking whose id the contract
 * refuses: only 400); a booking refused because its seat was taken had a rival for that seat (another booking, or a
 * hold taken by hand through the demo API); a seat "already sold" stays sold; and the final state is one a sequential
 * execution of the confirmed bookings produces: each seat SOLD to its one confirmed booking (or to a booking whose
 * outcome is unknown), every other seat AVAILABLE, none left RESERVED. A seat the demo API freed (a release, a
 * cleanup, a game reset) voids its sale (Booking.voided) and may end AVAILABLE after "already sold". Pure.
 */
export const bookingModel: Checker = {
  name: "booking-model",
  check(history, state) {
    const found = new Findings();
    const bookings = bookingsOf(history, state.tickets);
    const bySeat = new Map<string, Booking[]>();
    for (const b of bookings) bySeat.set(b.ticketId, [...(bySeat.get(b.ticketId) ?? []), b]);
    // A seat held by hand through the demo API (a bare reserve) is a rival too, from the moment it was asked for.
    const handHolds = history.filter((op) => op.type === "invoke" && op.f === "reserve" && typeof op.value.seatId === "string");
    const heldByHandBefore = (seat: string, time: number) => handHolds.some((op) => op.value.seatId === seat && op.time <= time);
    const frees = seatFreesOf(history);
    const freedSince = (seat: string, time: number) => freesOfSeat(frees, seat, time).length > 0;

    for (const booking of bookings) {
      const allowed = refusedId(booking.bookingId) || refusedId(booking.ticketId) ? REFUSED_INPUT : ALLOWED_STATUSES[booking.paymentMethodId];
      const wrong = booking.definiteStatuses.filter((s) => allowed !== undefined && !allowed.includes(s));
      if (wrong.length > 0) found.add(`${describe(booking)} was answered HTTP ${wrong.join(",")}; the model allows ${allowed!.join(", ")}`, aboutOf(booking));
      const rivals = (bySeat.get(booking.ticketId) ?? []).filter((b) => b !== booking);
      for (const answer of booking.answers.filter((a) => a.status === 409 && !a.body.includes(messages.refunded))) {
        if (!rivals.some((r) => r.firstInvokedAt <= answer.time) && !heldByHandBefore(booking.ticketId, answer.time)) {
          found.add(`${describe(booking)} was refused (409: ${answer.body.slice(0, 80)}) though no other booking had asked for the seat`, aboutOf(booking));
        }
      }
      // "Sold" is recorded and given again: once the demo freed the seat after the first one, the seat may end free.
      const firstSold = booking.answers.find((a) => a.status === 409 && a.body.includes(messages.sold));
      if (firstSold && state.tickets[booking.ticketId]?.status !== "SOLD" && !freedSince(booking.ticketId, firstSold.invokedAt)) {
        found.add(`${describe(booking)} was told the seat is sold, but it ended ${state.tickets[booking.ticketId]?.status ?? "AVAILABLE"}`, aboutOf(booking));
      }
    }

    for (const [seat, contenders] of bySeat) {
      const ticket = state.tickets[seat];
      const status = ticket?.status ?? "AVAILABLE";
      const confirmed = contenders.filter((b) => b.outcome === "ok");
      const unknown = contenders.filter((b) => b.outcome === "info");
      const owner = ticket?.bookingId ?? null;
      if (status === "RESERVED")
        found.add(`seat ${seat} is still RESERVED by ${owner ?? ticket?.reservedBy} once every booking ended`, { seats: [seat], bookings: [owner] });
      else if (confirmed.length === 1 && (status !== "SOLD" || owner !== confirmed[0]!.bookingId)) {
        found.add(`seat ${seat} was confirmed to ${confirmed[0]!.bookingId} but ended ${status}${owner ? ` under ${owner}` : ""}`, {
          seats: [seat],
          bookings: [confirmed[0]!.bookingId, owner],
        });
      } else if (confirmed.length === 0 && status === "SOLD" && !unknown.some((b) => b.bookingId === owner)) {
        found.add(`seat ${seat} is SOLD to ${owner ?? "(no booking)"}, though no booking of it was confirmed or is unknown`, {
          seats: [seat],
          bookings: [owner],
        });
      }
    }
    return found.result({ bookings: bookings.length, seats: bySeat.size });
  },
};

/** A searching gate found no history that breaks its properties (its `model-counterexample` ops are what it found). */
export const noCounterexample: Checker = {
  name: "no-counterexample",
  check(history) {
    const found = new Findings();
    // A counterexample is a run of its own (its own seats and bookings, described in its report), not of this history.
    for (const op of history) if (op.f === "model-counterexample" && op.type !== "invoke") found.add(String(op.value.report));
    return found.result({ searches: history.filter((op) => op.f === "model-search" && op.type === "ok").length });
  },
};
