import * as restate from "@restatedev/restate-sdk-cloudflare-workers/fetch";
import { booking } from "./booking.js";
import { configOf } from "./config.js";
import { crashpoint } from "./crashpoint.js";
import { deployment } from "./deployment.js";
import { input } from "./input.js";
import { sendEmail } from "./payments.js";
import { checkoutRequest, type BookingRequest, type CheckoutRequest } from "./schemas.js";
import type { BookingAnswer } from "./seat-booking.js";

/**
 * The booking's identity: the client's `bookingId`, else the ingress idempotency key where the server passes it to
 * the SDK, else this invocation's id (which Restate derives from the idempotency key when there is one, so a retry
 * with the same key is the same invocation). It keys the Booking, names the hold on the seat and keys the charge.
 */
function bookingIdOf(ctx: restate.Context, request: CheckoutRequest): string {
  return request.bookingId ?? ctx.request().idempotencyKey ?? ctx.request().id;
}

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
  const bookingId = bookingIdOf(ctx, request);
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
