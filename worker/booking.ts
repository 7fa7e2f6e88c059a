import * as restate from "@restatedev/restate-sdk-cloudflare-workers/fetch";
import { unprocessable } from "./errors.js";
import { input } from "./input.js";
import { runBooking } from "./saga.js";
import { bookingRequest, type BookingRequest } from "./schemas.js";

/** What a Booking stores once it has ended: the request it was made with and the answer it got (200: confirmed). */
interface BookingRecord {
  request: BookingRequest;
  status: number;
  message: string;
}

const sameRequest = (a: BookingRequest, b: BookingRequest): boolean =>
  a.ticketId === b.ticketId && a.userId === b.userId && a.paymentMethodId === b.paymentMethodId;

const describe = (r: BookingRequest): string => `seat ${r.ticketId} for user ${r.userId}, paid with ${r.paymentMethodId}`;

/** The recorded answer again: the same text, and for a failure the same status. */
function replay(record: BookingRecord): string {
  if (record.status === 200) return record.message;
  throw new restate.TerminalError(record.message, { errorCode: record.status });
}

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
          if (!sameRequest(recorded.request, request)) {
            throw unprocessable(`Booking ${ctx.key} was made for ${describe(recorded.request)}; this request is for ${describe(request)}: a booking id names one booking, use a new one for another booking`);
          }
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
  },
});

export type Booking = typeof booking;
