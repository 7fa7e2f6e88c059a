import { performance } from "node:perf_hooks";
import type { BookingClient } from "../harness/client.js";
import { latencyStats, type LatencyStats } from "./latency.js";

/** The latency workloads both sides run, the same way. */
export const COMPARE_WORKLOADS = ["get", "checkout", "open"] as const;
export type CompareWorkload = (typeof COMPARE_WORKLOADS)[number];

/** How much of each workload to run. */
export interface CompareSize {
  /** Sequential `Ticket/get` calls. */
  gets: number;
  /** Sequential single checkouts, each on a fresh seat. */
  checkouts: number;
  /** Open model: checkouts arriving at `openRate` per second for `openSeconds`, whatever the answers' pace. */
  openRate: number;
  openSeconds: number;
}

export const DEFAULT_COMPARE_SIZE: CompareSize = { gets: 60, checkouts: 30, openRate: 5, openSeconds: 8 };

/** One side's measurements. */
export interface CompareSide {
  label: string;
  /** The ingress measured (a URL; never the token). */
  ingress: string;
  stats: Record<CompareWorkload, LatencyStats>;
}

/** Both sides and remote minus local, per workload and statistic. */
export interface Comparison {
  local: CompareSide;
  remote: CompareSide;
  difference: Record<CompareWorkload, { p50: number; p90: number; p99: number; max: number }>;
}

/** The call's latency in ms, or null when it failed (threw, or answered other than expected). */
async function timed(call: () => Promise<boolean>): Promise<number | null> {
  const started = performance.now();
  const ok = await call().catch(() => false);
  return ok ? performance.now() - started : null;
}

function statsOf(results: Array<number | null>): LatencyStats {
  const samples = results.filter((r): r is number => r !== null);
  return latencyStats(samples, results.length - samples.length);
}

async function sequentially(count: number, call: (i: number) => Promise<number | null>): Promise<Array<number | null>> {
  const results: Array<number | null> = [];
  for (let i = 0; i < count; i++) results.push(await call(i));
  return results;
}

/** Runs every workload on one side, on seats named `<prefix>…` (fresh for each checkout). */
export async function measureSide(label: string, ingress: string, client: BookingClient, prefix: string, size: CompareSize): Promise<CompareSide> {
  const get = (i: number) => timed(async () => (await client.ticket(`${prefix}g${i % 10}`)).status !== undefined);
  const checkout = (id: string) => timed(async () => (await client.checkout({ ticketId: `${prefix}${id}`, userId: "u", bookingId: `${prefix}${id}` })).status === 200);
  await sequentially(5, get); // warms up the connections and the Worker
  const gets = await sequentially(size.gets, get);
  const checkouts = await sequentially(size.checkouts, (i) => checkout(`c${i}`));
  const open: Array<Promise<number | null>> = [];
  const start = performance.now();
  for (let i = 0; i < size.openRate * size.openSeconds; i++) {
    const due = start + (i * 1000) / size.openRate;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - performance.now())));
    open.push(checkout(`o${i}`));
  }
  return { label, ingress, stats: { get: statsOf(gets), checkout: statsOf(checkouts), open: statsOf(await Promise.all(open)) } };
}

/** Remote minus local for every workload and statistic, in ms. */
export function compareSides(local: CompareSide, remote: CompareSide): Comparison {
  const difference = Object.fromEntries(
    COMPARE_WORKLOADS.map((w) => {
      const [l, r] = [local.stats[w], remote.stats[w]];
      const d = (k: "p50" | "p90" | "p99" | "max") => Math.round((r[k] - l[k]) * 10) / 10;
      return [w, { p50: d("p50"), p90: d("p90"), p99: d("p99"), max: d("max") }];
    }),
  ) as Comparison["difference"];
  return { local, remote, difference };
}
