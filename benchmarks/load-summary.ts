import { readFileSync } from "node:fs";

/** The counts booking.py keeps: every main request, and the checkouts by answer. */
export interface LoadCounts {
  requests: number;
  confirmed: number;
  conflicts: number;
  declines: number;
  errors: number;
  /** Open-model arrivals that found no free simulated user. */
  dropped: number;
}

/** The latency samples booking.py keeps, in ms: every main request, the confirmed checkouts, the 409s. */
export type LoadTrend = "requests" | "confirmed" | "refused";

/** What booking.py writes to NEXUS_SUMMARY: every share's counts summed and latency samples joined, exact. */
export interface LoadSummary {
  workload: string;
  prefix: string;
  /** Every share reported before Locust stopped. */
  complete: boolean;
  /** How many Locust processes ran a share. */
  shares: number;
  counts: LoadCounts;
  samples: Record<LoadTrend, number[]>;
}

/** Reads booking.py's summary file; throws with the path when it is missing or not a summary. */
export function readLoadSummary(path: string): LoadSummary {
  const summary = JSON.parse(readFileSync(path, "utf8")) as LoadSummary;
  if (typeof summary.complete !== "boolean" || !summary.counts || !summary.samples) throw new Error(`${path} is not a summary of booking.py`);
  return summary;
}

/**
 * The percentile `p` (0–1) of `sorted` (ascending) by linear interpolation between the two closest ranks, as the
 * benchmark has always computed it; 0 for no samples.
 */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const i = p * (sorted.length - 1);
  const below = sorted[Math.floor(i)]!;
  const above = sorted[Math.ceil(i)]!;
  return below + (above - below) * (i - Math.floor(i));
}

/** A trend's statistics from its samples, in ms. */
export interface TrendStats {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

/** The statistics of `samples` (exact: no histogram, no rounding before the percentile). Pure. */
export function trendStats(samples: number[]): TrendStats {
  const sorted = [...samples].sort((a, b) => a - b);
  return { count: sorted.length, p50: percentile(sorted, 0.5), p90: percentile(sorted, 0.9), p99: percentile(sorted, 0.99), max: sorted.at(-1) ?? 0 };
}
