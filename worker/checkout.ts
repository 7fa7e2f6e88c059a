import * as restate from "@restatedev/restate-sdk-cloudflare-workers/fetch";
import { configOf } from "./config.js";
import { crashpoint } from "./crashpoint.js";
import { gatewayUnavailable, paymentDeclined } from "./errors.js";
import { input } from "./input.js";
import { charge, DECLINED, refund, sendEmail, TICKET_PRICE, type Charge } from "./payments.js";
import { checkoutRequest, type CheckoutRequest } from "./schemas.js";
import { ticket } from "./ticket.js";

/** What a successful booking returns, as in the original. */
export const BOOKING_CONFIRMED = "Booking Confirmed";

/**
 * The booking's identity: the client's `bookingId`, else the ingress idempotency key where the server passes it to
 * the SDK, else this invocation's id (which Restate derives from the idempotency key when there is one, so a retry
 * with the same key is the same invocation). It is stable across replays and retries: it names the hold on the seat
 * and keys the charge.
 */
function bookingIdOf(ctx: restate.Context, request: CheckoutRequest): string {
  return request.bookingId ?? ctx.request().idempotencyKey ?? ctx.request().id;
}

/** The saga: reserve → charge → confirm → email; a failed charge or a lost hold is compensated. */
async function processCheckout(ctx: restate.Context, request: CheckoutRequest): Promise<string> {
  const config = configOf(ctx);
  const bookingId = bookingIdOf(ctx, request);
  const { ticketId, userId } = request;
  const paymentMethodId = request.paymentMethodId ?? "card_success";
  const seat = ctx.objectClient(ticket, ticketId);

  await seat.reserve({ userId, bookingId });
  await crashpoint(config, "after-reserve", bookingId);

  const chargeKey = `booking:${bookingId}`;
  let payment: Charge;
  try {
    payment = await ctx.run(
      "charge",
      async () => {
        const result = await charge(config, { idempotencyKey: chargeKey, amount: TICKET_PRICE, paymentMethodId, metadata: { bookingId, ticketId, userId } });
        await crashpoint(config, "after-charge-answer", bookingId);
        return result;
      },
      {
        maxRetryAttempts: config.paymentMaxAttempts,
        initialRetryInterval: config.paymentRetryIntervalMs,
        maxRetryDuration: config.paymentMaxRetryMs,
      },
    );
  } catch (error) {
    if (!(error instanceof restate.TerminalError)) throw error;
    await seat.release({ bookingId });
    if (error.code === DECLINED) throw paymentDeclined(error.message);
    throw gatewayUnavailable(error.message);
  }

  try {
    await seat.confirm({ bookingId });
  } catch (error) {
    if (!(error instanceof restate.TerminalError)) throw error;
    // The hold was lost (expired, and maybe taken by someone else) while the card was charged: give the money back.
    await ctx.run("refund", () => refund(config, chargeKey, payment.transactionId));
    await seat.release({ bookingId });
    throw error;
  }

  await crashpoint(config, "after-confirm", bookingId);
  // The email is the last step, so it is not journaled: a journaled step costs a round trip to Restate and would
  // buy nothing, as no later step could skip it on a replay. Sent at least once either way.
  await crashpoint(config, "during-email", bookingId);
  await sendEmail(config, userId, ticketId);
  return BOOKING_CONFIRMED;
}

export const checkout = restate.service({
  name: "Checkout",
  handlers: {
    /** Books one seat for one user; 409 when the seat is taken, 402 when declined, 503 when the gateway is down. */
    process: restate.handlers.handler({ input: input(checkoutRequest) }, processCheckout),
  },
});

export type Checkout = typeof checkout;
