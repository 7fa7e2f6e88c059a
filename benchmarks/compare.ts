import { performance } from "node:perf_hooks";
import type { BookingClient } from "../harness/restate/client.js";
import type { CompareSide, Comparison, LatencyStats } from "../harness/store/records.js";
import { latencyStats } from "./latency.js";

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

export const DEFAULT_COMPARE_SIZE: CompareSize = { gets: 60, checkouts: 60, openRate: 5, openSeconds: 8 };

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

/** One side to measure: where its ingress is, the client that calls it, and the prefix of its seats. */
export interface SideTarget {
  label: string;
  ingress: string;
  client: BookingClient;
  prefix: string;
}

/** `count` rounds; each round calls every side once, in turn, so drift of the machine meets all sides alike. */
async function alternately(sides: number, count: number, call: (side: number, i: number) => Promise<number | null>): Promise<Array<Array<number | null>>> {
  const results: Array<Array<number | null>> = Array.from({ length: sides }, () => []);
  for (let i = 0; i < count; i++) for (let side = 0; side < sides; side++) results[side]!.push(await call(side, i));
  return results;
}

/**
 * Runs every workload on both sides, interleaved: the sequential gets and checkouts alternate call by call between
 * the sides, and the open model's arrivals on the two sides are offset by half a period. Seats are named
 * `<prefix>…` per side (fresh for each checkout).
 */
export async function measureSides(local: SideTarget, remote: SideTarget, size: CompareSize): Promise<[CompareSide, CompareSide]> {
  const sides = [local, remote];
  const get = (side: number, i: number) => timed(async () => (await sides[side]!.client.ticket(`${sides[side]!.prefix}g${i % 10}`)).status !== undefined);
  const checkout = (side: number, id: string) => {
    const { client, prefix } = sides[side]!;
    return timed(async () => (await client.checkout({ ticketId: `${prefix}${id}`, userId: "u", bookingId: `${prefix}${id}` })).status === 200);
  };
  await alternately(sides.length, 5, get); // warms up the connections and the Workers
  const gets = await alternately(sides.length, size.gets, get);
  const checkouts = await alternately(sides.length, size.checkouts, (side, i) => checkout(side, `c${i}`));
  const open: Array<Array<Promise<number | null>>> = sides.map(() => []);
  const period = 1000 / size.openRate;
  const start = performance.now();
  for (let i = 0; i < size.openRate * size.openSeconds; i++) {
    for (let side = 0; side < sides.length; side++) {
      const due = start + i * period + (side * period) / sides.length;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - performance.now())));
      open[side]!.push(checkout(side, `o${i}`));
    }
  }
  const openResults = await Promise.all(open.map((calls) => Promise.all(calls)));
  const sideOf = (side: number): CompareSide => ({
    label: sides[side]!.label,
    ingress: sides[side]!.ingress,
    stats: { get: statsOf(gets[side]!), checkout: statsOf(checkouts[side]!), open: statsOf(openResults[side]!) },
  });
  return [sideOf(0), sideOf(1)];
}

/** Remote minus local for every workload and statistic, in ms. */
export function compareSides(local: CompareSide, remote: CompareSide): Comparison {
  const difference = Object.fromEntries(
    COMPARE_WORKLOADS.map((w) => {
      const [l, r] = [local.stats[w], remote.stats[w]];
      const d = (k: "p50" | "p90" | "p99" | "max") => (l === undefined || r === undefined ? Number.NaN : Math.round((r[k] - l[k]) * 10) / 10);
      return [w, { p50: d("p50"), p90: d("p90"), p99: d("p99"), max: d("max") }];
    }),
  ) as Comparison["difference"];
  return { local, remote, difference };
}
