import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";

/** The part of k6's end-of-test summary (handleSummary's data) the benchmark reads. */
export interface K6Summary {
  metrics: Record<string, { type?: string; values: Record<string, number> } | undefined>;
}

/** The trends whose samples a split cell merges, keyed as the summary names them. */
export const MERGED_TRENDS = ["http_req_duration", "http_req_duration{name:checkout}", "confirmed_duration", "refused_duration"] as const;

/** The statistics the benchmark reads of a trend, named as k6's summary names them. */
const TREND_STATS = { med: 0.5, "p(90)": 0.9, "p(95)": 0.95, "p(99)": 0.99 } as const;

/**
 * The percentile `p` (0–1) of `sorted` (ascending) as k6's trends compute it: linear interpolation between the two
 * closest ranks; 0 for no samples.
 */
export function k6Percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const i = p * (sorted.length - 1);
  const below = sorted[Math.floor(i)]!;
  const above = sorted[Math.ceil(i)]!;
  return below + (above - below) * (i - Math.floor(i));
}

/** A trend's summary values (count, min, max, avg, med, p(90), p(95), p(99)) computed from its raw samples. */
export function trendValues(samples: number[]): Record<string, number> {
  const sorted = [...samples].sort((a, b) => a - b);
  const values: Record<string, number> = {
    count: sorted.length,
    min: sorted[0] ?? 0,
    max: sorted.at(-1) ?? 0,
    avg: sorted.length === 0 ? 0 : sorted.reduce((a, b) => a + b, 0) / sorted.length,
  };
  for (const [name, p] of Object.entries(TREND_STATS)) values[name] = k6Percentile(sorted, p);
  return values;
}

/** Adds one point of k6's JSON output (a line of `--out json=…`) to `samples` when it belongs to a merged trend. */
export function addPoint(samples: Map<string, number[]>, line: string): void {
  if (!line.includes('"type":"Point"')) return;
  const point = JSON.parse(line) as { metric: string; data: { value: number; tags?: Record<string, string> } };
  const keys = point.metric === "http_req_duration" && point.data.tags?.name === "checkout" ? ["http_req_duration", "http_req_duration{name:checkout}"] : [point.metric];
  for (const key of keys) {
    if (!(MERGED_TRENDS as readonly string[]).includes(key)) continue;
    const list = samples.get(key) ?? [];
    list.push(point.data.value);
    samples.set(key, list);
  }
}

/** The samples of the merged trends in k6 JSON output files, streamed line by line (a cell's file can be large). */
export async function readSamples(paths: string[]): Promise<Map<string, number[]>> {
  const samples = new Map<string, number[]>();
  for (const path of paths) {
    for await (const line of createInterface({ input: createReadStream(path), crlfDelay: Infinity })) addPoint(samples, line);
  }
  return samples;
}

/**
 * One summary for a test split across instances: every counter summed over `parts`, and every merged trend computed
 * from the union of all instances' `samples` (percentiles of the merged samples, never averaged percentiles). Pure.
 */
export function mergeSummaries(parts: K6Summary[], samples: Map<string, number[]>): K6Summary {
  const metrics: K6Summary["metrics"] = {};
  for (const part of parts) {
    for (const [name, metric] of Object.entries(part.metrics)) {
      if (metric?.type !== "counter") continue;
      const count = (metrics[name]?.values.count ?? 0) + (metric.values.count ?? 0);
      metrics[name] = { type: "counter", values: { count } };
    }
  }
  for (const name of MERGED_TRENDS) metrics[name] = { type: "trend", values: trendValues(samples.get(name) ?? []) };
  return { metrics };
}
