import type * as restate from "@restatedev/restate-sdk-cloudflare-workers/fetch";
import { paymentStepRetries, unlessExhausted } from "./charge.js";
import type { WorkerConfig } from "./config.js";
import { lookupCharges, refundOnce } from "./payments.js";

/** The durable sleep before the next round: the reconcile interval, doubled each round, at most eight times it. */
const backoffMs = (config: WorkerConfig, round: number): number => config.paymentReconcileIntervalMs * Math.min(2 ** round, 8);

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
    await ctx.sleep(backoffMs(config, round));
  }
}

/**
 * Gives back what a sale took under `key` (the demo freed a sold seat): looks the key's charges up, with bounded retries
 * and durable capped sleeps until the gateway answers, and refunds each one that succeeded and is not refunded yet.
 * Returns once every one of them is refunded; a simulated payment (no gateway) took nothing and returns at once.
 */
export async function refundSale(ctx: restate.Context, config: WorkerConfig, key: string): Promise<void> {
  for (let round = 0; ; round++) {
    const charges = await unlessExhausted(ctx.run("look up the sale", () => lookupCharges(config, key), paymentStepRetries(config)));
    if (charges !== undefined) {
      for (const charge of charges) {
        if (charge.state === "succeeded" && !charge.refunded && charge.transactionId !== null) await refundCharge(ctx, config, key, charge.transactionId);
      }
      return;
    }
    await ctx.sleep(backoffMs(config, round));
  }
}
