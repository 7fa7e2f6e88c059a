import type * as restate from "@restatedev/restate-sdk-cloudflare-workers/fetch";
import { chargeFailure, pay, type BookingOrder } from "./charge.js";
import { configOf } from "./config.js";
import { BOOKING_CONFIRMED, chargeKeyOf, messages } from "./contract.js";
import { crashpoint } from "./crashpoint.js";
import { load, seatIdOf, store, type TicketState } from "./ticket-state.js";

/** A booking's answer as data: 200 and "Booking Confirmed", or the status and text of its failure. */
export interface BookingAnswer {
  status: number;
  message: string;
  /** True on the answer of the request that ended the booking (not on a recorded answer given again): it sends the email. */
  fresh?: boolean;
}

const recordKey = (bookingId: string) => `booking:${bookingId}`;

/** The 409 a seat that is not free gives a booking (sold, or held through the demo API); undefined when it is free. */
function refusalOf(state: TicketState): BookingAnswer | undefined {
  if (state.status === "SOLD") return { status: 409, message: messages.sold };
  if (state.status === "RESERVED") return { status: 409, message: messages.held };
  return undefined;
}

/** Charges the booking once (bounded retries, then reconciliation, as the saga does); only a charge that took the money marks the seat SOLD. */
async function chargeForSeat(ctx: restate.ObjectContext, seatId: string, order: Omit<BookingOrder, "ticketId">): Promise<BookingAnswer> {
  const config = configOf(ctx);
  const booking: BookingOrder = { ...order, ticketId: seatId };
  await crashpoint(config, "after-reserve", order.bookingId);
  const payment = await pay(ctx, config, booking, chargeKeyOf(order.bookingId, seatId));
  const failure = payment.kind === "charged" ? undefined : chargeFailure(payment);
  const answer = failure ? { status: failure.code, message: failure.message } : { status: 200, message: BOOKING_CONFIRMED };
  if (payment.kind === "charged") {
    await store(ctx, seatId, { status: "SOLD", reservedBy: order.userId, reservedUntil: null, bookingId: order.bookingId, holdId: null });
    await crashpoint(config, "after-confirm", order.bookingId);
  }
  return answer;
}

/**
 * The seat-owned design: the whole booking runs inside the seat's exclusive handler, so the object's lock is the hold
 * (no hold timer, nothing to lose while the card is charged). A booking this seat has ended before gets its recorded
 * answer again, with no new charge; a seat that is sold (or held through the demo API) answers 409; otherwise the card
 * is charged (chargeForSeat). Every answer is recorded, a 409 included: a seat the demo API frees later must not book a
 * booking it has refused. The caller (the Booking object) has bound the booking id to this seat, user and card.
 */
export async function bookSeat(ctx: restate.ObjectContext, order: Omit<BookingOrder, "ticketId">): Promise<BookingAnswer> {
  const seatId = seatIdOf(ctx);
  const recorded = await ctx.get<BookingAnswer>(recordKey(order.bookingId));
  if (recorded) return recorded;
  const answer = refusalOf(await load(ctx)) ?? (await chargeForSeat(ctx, seatId, order));
  ctx.set(recordKey(order.bookingId), answer);
  return { ...answer, fresh: true };
}
