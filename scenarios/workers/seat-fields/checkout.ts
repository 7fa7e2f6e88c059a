import * as restate from "@restatedev/restate-sdk-cloudflare-workers/fetch";
import { input } from "../../../worker/input.js";
import { checkoutRequest, type CheckoutRequest } from "../../../worker/schemas.js";
import { purchase } from "./purchase.js";

/** The booking id: the client's `bookingId`, else the ingress idempotency key, else this invocation's id. */
function bookingIdOf(ctx: restate.Context, request: CheckoutRequest): string {
  return request.bookingId ?? ctx.request().idempotencyKey ?? ctx.request().id;
}

export const checkout = restate.service({
  name: "Checkout",
  handlers: {
    /** The public entry: hands the booking to its Purchase, which runs it once and remembers its answer. */
    process: restate.handlers.handler({ input: input(checkoutRequest) }, async (ctx: restate.Context, request: CheckoutRequest): Promise<string> => {
      const { ticketId, userId, paymentMethodId = "card_success" } = request;
      return ctx.objectClient(purchase, bookingIdOf(ctx, request)).process({ ticketId, userId, paymentMethodId });
    }),
  },
});
