import * as restate from "@restatedev/restate-sdk-cloudflare-workers/fetch";
import { configOf, type WorkerConfig } from "./config.js";
import { BOOKING_CONFIRMED, chargeKeyOf, messages, TICKET_PRICE } from "./contract.js";
import { crashpoint } from "./crashpoint.js";
import { conflict, gatewayRefused, gatewayUnavailable, paymentDeclined } from "./errors.js";
import { chargeOnce, lookupCharges, refund, sendEmail, type ChargeOutcome } from "./payments.js";
import { ticket } from "./ticket.js";

/** One booking as the saga runs it: its id, and the seat, user and card it was made with. */
export interface BookingOrder {
  bookingId: string;
  ticketId: string;
  userId: string;
  paymentMethodId: string;
}

/**
 * Finds out what happened to a charge whose bounded retries ended without a definite answer (timeouts, resets, "still
 * processing", 5xx): asks the gateway for the charges made under the key, and while one is still being processed,
 * sleeps durably and asks again. A booking is never reported failed while its money may still be taken.
 */
async function settle(ctx: restate.Context, config: WorkerConfig, order: BookingOrder, key: string, lastError: string): Promise<ChargeOutcome> {
  for (let round = 0; ; round++) {
    const charges = await ctx
      .run("look up the charge", () => lookupCharges(config, key), {
        maxRetryAttempts: config.paymentMaxAttempts,
        initialRetryInterval: config.paymentRetryIntervalMs,
      })
      .catch((error: unknown) => {
        if (error instanceof restate.TerminalError) return undefined;
        throw error;
      });
    if (charges !== undefined && !charges.some((c) => c.state === "processing")) {
      const paid = charges.find((c) => c.state === "succeeded" && !c.refunded && c.transactionId !== null);
      if (paid) return { kind: "charged", transactionId: paid.transactionId! };
      if (charges.some((c) => c.state === "declined")) return { kind: "declined", detail: `Payment declined (Method: ${order.paymentMethodId})` };
      return { kind: "not-charged", detail: lastError };
    }
    await ctx.sleep(Math.min(config.paymentReconcileIntervalMs * 2 ** round, config.paymentReconcileIntervalMs * 8));
  }
}

/** Charges the booking once: bounded retries with the same key, then, if the outcome is still unknown, `settle`. */
async function pay(ctx: restate.Context, config: WorkerConfig, order: BookingOrder, key: string): Promise<ChargeOutcome> {
  const { bookingId, ticketId, userId, paymentMethodId } = order;
  try {
    return await ctx.run(
      "charge",
      async () => {
        const outcome = await chargeOnce(config, { idempotencyKey: key, amount: TICKET_PRICE, paymentMethodId, metadata: { bookingId, ticketId, userId } });
        await crashpoint(config, "after-charge-answer", bookingId);
        return outcome;
      },
      {
        maxRetryAttempts: config.paymentMaxAttempts,
        initialRetryInterval: config.paymentRetryIntervalMs,
        maxRetryDuration: config.paymentMaxRetryMs,
      },
    );
  } catch (error) {
    if (!(error instanceof restate.TerminalError)) throw error;
    return settle(ctx, config, order, key, error.message);
  }
}

/**
 * The saga of one booking: reserve → charge → confirm → email. A charge that was declined or never taken releases the
 * hold; a charge taken after the hold was lost is refunded. Every failure is a TerminalError whose text says what
 * happened to the money. The caller (the Booking object) runs it at most once per booking.
 */
export async function runBooking(ctx: restate.Context, order: BookingOrder): Promise<string> {
  const config = configOf(ctx);
  const { bookingId, ticketId, userId } = order;
  const seat = ctx.objectClient(ticket, ticketId);

  // "sold": this booking bought the seat in an earlier run that ended before it could record its answer.
  if ((await seat.reserve({ userId, bookingId })) === "sold") return BOOKING_CONFIRMED;
  await crashpoint(config, "after-reserve", bookingId);

  const key = chargeKeyOf(bookingId, ticketId);
  const payment = await pay(ctx, config, order, key);
  if (payment.kind !== "charged") {
    await seat.release({ bookingId });
    if (payment.kind === "declined") throw paymentDeclined(payment.detail);
    if (payment.kind === "refused") throw gatewayRefused(payment.detail);
    throw gatewayUnavailable(payment.detail);
  }

  try {
    await seat.confirm({ bookingId });
  } catch (error) {
    if (!(error instanceof restate.TerminalError)) throw error;
    // The hold was lost (expired, and maybe taken by someone else) while the card was charged: give the money back.
    await ctx.run("refund", () => refund(config, key, payment.transactionId));
    await seat.release({ bookingId });
    throw conflict(`${error.message}; ${messages.refunded}`);
  }

  await crashpoint(config, "after-confirm", bookingId);
  // The email is the last step, so it is not journaled: a journaled step costs a round trip to Restate and would
  // buy nothing, as no later step could skip it on a replay. Sent at least once either way.
  await crashpoint(config, "during-email", bookingId);
  await sendEmail(config, userId, ticketId);
  return BOOKING_CONFIRMED;
}
