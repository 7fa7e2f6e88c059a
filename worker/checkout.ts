import * as restate from "@restatedev/restate-sdk-cloudflare-workers/fetch";
import { bookingIdFrom } from "./booking-id.js";
import { booking } from "./booking.js";
import { configOf } from "./config.js";
import { crashpoint } from "./crashpoint.js";
import { deployment } from "./deployment.js";
import { badRequest } from "./errors.js";
import { input } from "./input.js";
import { sendEmail } from "./payments.js";
import { checkoutRequest, type BookingRequest, type CheckoutRequest } from "./schemas.js";
import type { BookingAnswer } from "./seat-booking.js";

/**
 * The seat-owned design: the Booking binds the id and hands the booking to its seat, which runs it and answers the
 * awakeable; nothing between is awaited, so the Checkout costs two Worker requests (this one, and its resumption with
 * the answer). The email goes out from here, not journaled, once the seat has confirmed (at least once, as in the saga).
 */
async function bookThroughSeat(ctx: restate.Context, bookingId: string, order: BookingRequest): Promise<string> {
  const { id, promise } = ctx.awakeable<BookingAnswer>();
  ctx.objectSendClient(booking, bookingId).claim({ ...order, awakeableId: id });
  const answer = await promise;
  if (answer.status !== 200) throw new restate.TerminalError(answer.message, { errorCode: answer.status });
  if (answer.fresh) {
    const config = configOf(ctx);
    await crashpoint(config, "during-email", bookingId);
    await sendEmail(config, order.userId, order.ticketId);
  }
  return answer.message;
}

/** The proof of concept's public entry: hands the booking to its Booking object, which runs it once and remembers its answer. */
async function processCheckout(ctx: restate.Context, request: CheckoutRequest): Promise<string> {
  const { ticketId, userId } = request;
  const order = { ticketId, userId, paymentMethodId: request.paymentMethodId ?? "card_success" };
  const chosen = bookingIdFrom(request.bookingId, ctx.request().idempotencyKey, ctx.request().id);
  if ("refused" in chosen) throw badRequest(chosen.refused);
  const bookingId = chosen.id;
  if (deployment.design === "seat-owned") return bookThroughSeat(ctx, bookingId, order);
  return ctx.objectClient(booking, bookingId).process(order);
}

export const checkout = restate.service({
  name: "Checkout",
  handlers: {
    /**
     * Books one seat for one user: "Booking Confirmed", or 409 when the seat is taken, 402 when declined, 503 when the
     * gateway is down, 422 when the booking id was used for another seat, user or card.
     */
    process: restate.handlers.handler({ input: input(checkoutRequest) }, processCheckout),
  },
});

export type Checkout = typeof checkout;
