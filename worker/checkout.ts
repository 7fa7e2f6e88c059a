import * as restate from "@restatedev/restate-sdk-cloudflare-workers/fetch";
import { booking } from "./booking.js";
import { input } from "./input.js";
import { checkoutRequest, type CheckoutRequest } from "./schemas.js";

/**
 * The booking's identity: the client's `bookingId`, else the ingress idempotency key where the server passes it to
 * the SDK, else this invocation's id (which Restate derives from the idempotency key when there is one, so a retry
 * with the same key is the same invocation). It keys the Booking, names the hold on the seat and keys the charge.
 */
function bookingIdOf(ctx: restate.Context, request: CheckoutRequest): string {
  return request.bookingId ?? ctx.request().idempotencyKey ?? ctx.request().id;
}

/** The proof of concept's public entry: hands the booking to its Booking object, which runs it once and remembers its answer. */
async function processCheckout(ctx: restate.Context, request: CheckoutRequest): Promise<string> {
  const { ticketId, userId } = request;
  const paymentMethodId = request.paymentMethodId ?? "card_success";
  return ctx.objectClient(booking, bookingIdOf(ctx, request)).process({ ticketId, userId, paymentMethodId });
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
