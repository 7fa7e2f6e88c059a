import * as restate from "@restatedev/restate-sdk-cloudflare-workers/fetch";
import { otherBooking, replay, sameRequest, type BookingRecord } from "../../../worker/booking-record.js";
import { chargeFailure, pay, type BookingOrder } from "../../../worker/charge.js";
import { configOf } from "../../../worker/config.js";
import { BOOKING_CONFIRMED, chargeKeyOf, messages } from "../../../worker/contract.js";
import { crashpoint } from "../../../worker/crashpoint.js";
import { conflict } from "../../../worker/errors.js";
import { input } from "../../../worker/input.js";
import { sendEmail } from "../../../worker/payments.js";
import { refundCharge } from "../../../worker/refund.js";
import { bookingRequest, type BookingRequest } from "../../../worker/schemas.js";
import { defectOf } from "./defect.js";
import { seat } from "./seat.js";

/** The saga: reserve → charge → confirm → email; a charge not taken frees the hold, one taken after the hold was lost is refunded. */
async function book(ctx: restate.ObjectContext, order: BookingOrder): Promise<string> {
  const config = configOf(ctx);
  const { bookingId, ticketId, userId } = order;
  const place = ctx.objectClient(seat, ticketId);
  // "sold": this booking bought the seat in an earlier run that ended before it recorded its answer.
  if ((await place.reserve({ bookingId, userId })) === "sold") return BOOKING_CONFIRMED;
  await crashpoint(config, "after-reserve", bookingId);

  const key = chargeKeyOf(bookingId, ticketId);
  const payment = await pay(ctx, config, order, key);
  if (payment.kind !== "charged") {
    await place.release({ bookingId });
    throw chargeFailure(payment);
  }
  try {
    await place.confirm({ bookingId });
  } catch (error) {
    if (!(error instanceof restate.TerminalError)) throw error;
    await refundCharge(ctx, config, key, payment.transactionId);
    await place.release({ bookingId });
    throw conflict(`${error.message}; ${messages.refunded}`);
  }
  await crashpoint(config, "after-confirm", bookingId);
  await crashpoint(config, "during-email", bookingId);
  await sendEmail(config, userId, ticketId);
  return BOOKING_CONFIRMED;
}

export const purchase = restate.object({
  name: "Purchase",
  handlers: {
    /** Runs the booking once, or answers what it answered before; 422 when the id was used for another seat, user or card. */
    process: restate.handlers.object.exclusive(
      { input: input(bookingRequest), ingressPrivate: true },
      async (ctx: restate.ObjectContext, request: BookingRequest): Promise<string> => {
        const recorded = await ctx.get<BookingRecord>("outcome");
        if (recorded !== null) {
          if (sameRequest(recorded.request, request)) return replay(recorded);
          // DEFECT (SEAT_FIELDS_DEFECT=ignore-booking-id, tests only): a reused id is booked again for its new request.
          if (defectOf(ctx) !== "ignore-booking-id") throw otherBooking(ctx.key, recorded.request, request);
        }
        try {
          const answer = await book(ctx, { ...request, bookingId: ctx.key });
          ctx.set<BookingRecord>("outcome", { request, status: 200, message: answer });
          return answer;
        } catch (error) {
          if (error instanceof restate.TerminalError) ctx.set<BookingRecord>("outcome", { request, status: error.code, message: error.message });
          throw error;
        }
      },
    ),
  },
});

export type Purchase = typeof purchase;
