import * as restate from "@restatedev/restate-sdk-cloudflare-workers/fetch";
import { otherBooking, replay, sameRequest, type BookingRecord } from "./booking-record.js";
import { configOf } from "./config.js";
import { chargeKeyOf, messages } from "./contract.js";
import { input } from "./input.js";
import { refundSale } from "./refund.js";
import { runBooking } from "./saga.js";
import { bookingClaim, bookingRequest, voidSale, type BookingClaim, type BookingRequest, type VoidSale } from "./schemas.js";
import type { BookingAnswer } from "./seat-booking.js";
import { ticket } from "./ticket.js";

/**
 * One booking, keyed by its booking id: the id is bound to the first request that reaches it (seat, user, card),
 * and the booking runs once. Requests for the same booking wait their turn (the object is exclusive), then get the
 * recorded answer; a request with other parameters gets 422 and changes nothing. An ended booking stays ended: a
 * retry makes no new hold and no new charge, however long after (whether or not the gateway still knows its key).
 * To try again with another card, a client uses a new booking id.
 */
export const booking = restate.object({
  name: "Booking",
  handlers: {
    /** Runs the booking, or answers what it answered before; 422 when the id was used for another seat, user or card. */
    process: restate.handlers.object.exclusive(
      { input: input(bookingRequest), ingressPrivate: true },
      async (ctx: restate.ObjectContext, request: BookingRequest): Promise<string> => {
        const recorded = await ctx.get<BookingRecord>("booking");
        if (recorded) {
          if (!sameRequest(recorded.request, request)) throw otherBooking(ctx.key, recorded.request, request);
          return replay(recorded);
        }
        try {
          const answer = await runBooking(ctx, { bookingId: ctx.key, ...request });
          ctx.set<BookingRecord>("booking", { request, status: 200, message: answer });
          return answer;
        } catch (error) {
          if (error instanceof restate.TerminalError) ctx.set<BookingRecord>("booking", { request, status: error.code, message: error.message });
          throw error;
        }
      },
    ),

    /**
     * The seat-owned design's entry: binds the id to the first request (seat, user, card) and hands the booking to its
     * seat, which answers the awakeable; a request with other parameters gets 422 on the awakeable and changes nothing.
     * A booking the saga design ended (before a switch of BOOKING_DESIGN) gets its recorded answer. One request to the
     * Worker: nothing here is awaited.
     */
    claim: restate.handlers.object.exclusive(
      { input: input(bookingClaim), ingressPrivate: true },
      async (ctx: restate.ObjectContext, claim: BookingClaim): Promise<void> => {
        const { awakeableId, ...request } = claim;
        const ended = await ctx.get<BookingRecord>("booking");
        const bound = ended?.request ?? (await ctx.get<BookingRequest>("request"));
        if (bound && !sameRequest(bound, request)) {
          const refused = otherBooking(ctx.key, bound, request);
          ctx.resolveAwakeable<BookingAnswer>(awakeableId, { status: refused.code, message: refused.message });
          return;
        }
        if (ended) {
          ctx.resolveAwakeable<BookingAnswer>(awakeableId, { status: ended.status, message: ended.message });
          return;
        }
        if (!bound) ctx.set<BookingRequest>("request", request);
        const { userId, paymentMethodId } = request;
        ctx.objectSendClient(ticket, request.ticketId).book({ bookingId: ctx.key, userId, paymentMethodId, awakeableId });
      },
    ),

    /**
     * Internal, called by the seat when the demo API frees it while it is SOLD to this booking: the sale's charge is
     * refunded, then the booking ends again as a 409 that every later request gets. A booking that did not end
     * confirmed, or was made for another seat, is left as it is.
     */
    voidSale: restate.handlers.object.exclusive(
      { input: input(voidSale), ingressPrivate: true },
      async (ctx: restate.ObjectContext, request: VoidSale): Promise<void> => {
        const ended = await ctx.get<BookingRecord>("booking");
        if (ended && ended.status !== 200) return;
        const bound = ended?.request ?? (await ctx.get<BookingRequest>("request"));
        if (!bound || bound.ticketId !== request.ticketId) return;
        await refundSale(ctx, configOf(ctx), chargeKeyOf(ctx.key, bound.ticketId));
        ctx.set<BookingRecord>("booking", { request: bound, status: 409, message: messages.voided });
      },
    ),
  },
});

export type Booking = typeof booking;
