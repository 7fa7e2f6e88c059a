import * as restate from "@restatedev/restate-sdk-cloudflare-workers/fetch";
import type { WorkerConfig } from "./config.js";
import { TICKET_PRICE } from "./contract.js";
import { crashpoint } from "./crashpoint.js";
import { gatewayRefused, gatewayUnavailable, paymentDeclined } from "./errors.js";
import { chargeOnce, lookupCharges, type ChargeOutcome } from "./payments.js";

/** One booking as a design runs it: its id, and the seat, user and card it was made with. */
export interface BookingOrder {
  bookingId: string;
  ticketId: string;
  userId: string;
  paymentMethodId: string;
}

/** The bounds of one payment step's retries (a charge, a refund, a lookup): then it ends with a TerminalError. */
export function paymentStepRetries(config: WorkerConfig): { maxRetryAttempts: number; initialRetryInterval: number; maxRetryDuration: number } {
  return {
    maxRetryAttempts: config.paymentMaxAttempts,
    initialRetryInterval: config.paymentRetryIntervalMs,
    maxRetryDuration: config.paymentMaxRetryMs,
  };
}

/** A durable step's result, or undefined once its bounded retries ended without one (a TerminalError). */
export async function unlessExhausted<T>(step: Promise<T>): Promise<T | undefined> {
  try {
    return await step;
  } catch (error) {
    if (error instanceof restate.TerminalError) return undefined;
    throw error;
  }
}

/**
 * Finds out what happened to a charge whose bounded retries ended without a definite answer (timeouts, resets, "still
 * processing", 5xx): asks the gateway for the charges made under the key, and while one is still being processed,
 * sleeps durably and asks again. A booking is never reported failed while its money may still be taken.
 */
async function settle(ctx: restate.Context, config: WorkerConfig, order: BookingOrder, key: string, lastError: string): Promise<ChargeOutcome> {
  for (let round = 0; ; round++) {
    const charges = await unlessExhausted(ctx.run("look up the charge", () => lookupCharges(config, key), paymentStepRetries(config)));
    if (charges !== undefined && !charges.some((c) => c.state === "processing")) {
      const paid = charges.find((c) => c.state === "succeeded" && !c.refunded && c.transactionId !== null);
      if (paid) return { kind: "charged", transactionId: paid.transactionId! };
      if (charges.some((c) => c.state === "declined")) return { kind: "declined", detail: `Payment declined (Method: ${order.paymentMethodId})` };
      return { kind: "not-charged", detail: lastError };
    }
    await ctx.sleep(Math.min(config.paymentReconcileIntervalMs * 2 ** round, config.paymentReconcileIntervalMs * 8));
  }
}

/** Charges the booking once under `key` and says what happened to the money: bounded retries with the same key, then, if the outcome is still unknown, `settle`. */
export async function pay(ctx: restate.Context, config: WorkerConfig, order: BookingOrder, key: string): Promise<ChargeOutcome> {
  const { bookingId, ticketId, userId, paymentMethodId } = order;
  try {
    return await ctx.run(
      "charge",
      async () => {
        const outcome = await chargeOnce(config, { idempotencyKey: key, amount: TICKET_PRICE, paymentMethodId, metadata: { bookingId, ticketId, userId } });
        await crashpoint(config, "after-charge-answer", bookingId);
        return outcome;
      },
      paymentStepRetries(config),
    );
  } catch (error) {
    if (!(error instanceof restate.TerminalError)) throw error;
    return settle(ctx, config, order, key, error.message);
  }
}

/** The error a charge that took no money ends its booking with: 402 declined, 502 refused by the gateway, 503 gateway down. */
export function chargeFailure(payment: Exclude<ChargeOutcome, { kind: "charged" }>): restate.TerminalError {
  if (payment.kind === "declined") return paymentDeclined(payment.detail);
  if (payment.kind === "refused") return gatewayRefused(payment.detail);
  return gatewayUnavailable(payment.detail);
}
