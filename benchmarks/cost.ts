import type { CellMeasurement } from "../harness/store/records.js";

/** What Cloudflare charges for Workers beyond a plan's included usage, in US dollars. */
export interface WorkersPrices {
  perMillionRequests: number;
  perMillionCpuMs: number;
  /** Where the prices come from, and when they were read. */
  source: string;
}

/**
 * Cloudflare Workers' Standard usage model, as Cloudflare's documentation states it (read 2026-12-03): $0.30 per
 * additional million requests and $0.02 per additional million CPU milliseconds, beyond the Paid plan's included 10
 * million requests and 30 million CPU ms a month.
 */
export const WORKERS_STANDARD_PRICES: WorkersPrices = {
  perMillionRequests: 0.3,
  perMillionCpuMs: 0.02,
  source: "Cloudflare Workers Standard pricing, beyond the Paid plan's included usage (developers.cloudflare.com, read 2026-12-03)",
};

/**
 * What 1,000 confirmed bookings cost on Cloudflare Workers at `prices`, in US dollars: the Worker requests and the
 * Worker CPU milliseconds one confirmed booking took in the cell, times a thousand (null when either was not
 * measured). Workerd's CPU here includes its own runtime's work, so the CPU part is an upper bound on what is billed.
 */
export function usdPer1000Confirmed(
  cell: Pick<CellMeasurement, "workerRequestsPerConfirmed" | "workerCpuMsPerConfirmed">,
  prices: WorkersPrices,
): number | null {
  const { workerRequestsPerConfirmed: requests, workerCpuMsPerConfirmed: cpuMs } = cell;
  if (requests === null || cpuMs === null) return null;
  const usd = (1000 * requests * prices.perMillionRequests + 1000 * cpuMs * prices.perMillionCpuMs) / 1_000_000;
  return Number(usd.toPrecision(3));
}
