import * as restate from "@restatedev/restate-sdk-cloudflare-workers/fetch";
import { paymentStepRetries } from "./charge.js";
import type { WorkerConfig } from "./config.js";
import { lookupCharges, refundOnce } from "./payments.js";

/** A durable step's result, or undefined once its bounded retries ended without one (a TerminalError). */
async function unlessExhausted<T>(step: Promise<T>): Promise<T | undefined> {
  try {
    return await step;
  } catch (error) {
    if (error instanceof restate.TerminalError) return undefined;
    throw error;
  }
}

/**
 * Gives back the charge `transactionId` made under `key`, and returns once the gateway's records show it refunded (or
 * hold no such charge). Each round is a refund with bounded retries under the same key; unless it was refunded, a lookup
 * of the charge settles it, as the charge does: a refund made whose answer was lost, then refused as "already
 * refunded" by a gateway that forgot its key, ends here; a charge not refunded yet is tried again after a durable sleep.
 */
export async function refundCharge(ctx: restate.Context, config: WorkerConfig, key: string, transactionId: string): Promise<void> {
  for (let round = 0; ; round++) {
    const outcome = await unlessExhausted(ctx.run("refund", () => refundOnce(config, key, transactionId), paymentStepRetries(config)));
    if (outcome?.kind === "refunded") return;
    const charges = await unlessExhausted(ctx.run("look up the refund", () => lookupCharges(config, key), paymentStepRetries(config)));
    const charge = charges?.find((c) => c.transactionId === transactionId);
    if (charges !== undefined && (charge === undefined || charge.refunded)) return;
    await ctx.sleep(Math.min(config.paymentReconcileIntervalMs * 2 ** round, config.paymentReconcileIntervalMs * 8));
  }
}
