import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { percentile, readLoadSummary, trendStats } from "./load-summary.js";

describe("percentiles of exact samples", () => {
  it("interpolates linearly between the two closest ranks", () => {
    expect(percentile([10, 20, 30, 40], 0.5)).toBe(25);
    expect(percentile([10, 20, 30, 40], 0.99)).toBeCloseTo(39.7, 10);
    expect(percentile([7], 0.99)).toBe(7);
    expect(percentile([], 0.5)).toBe(0);
  });

  it("sorts the samples itself and keeps them unrounded", () => {
    const stats = trendStats([3.25, 1.5, 2.125, 100.0625]);
    expect(stats).toEqual({
      count: 4,
      p50: 2.6875,
      p90: percentile([1.5, 2.125, 3.25, 100.0625], 0.9),
      p99: percentile([1.5, 2.125, 3.25, 100.0625], 0.99),
      max: 100.0625,
    });
    expect(trendStats([])).toEqual({ count: 0, p50: 0, p90: 0, p99: 0, max: 0 });
  });

  it("percentiles of two shares' joined samples are those of one run with every sample, never averaged", () => {
    const one = [1, 2, 3, 4, 100];
    const two = [5, 6, 7];
    const joined = trendStats([...one, ...two]);
    expect(joined.p99).toBe(percentile([1, 2, 3, 4, 5, 6, 7, 100], 0.99));
    expect(joined.p99).toBeCloseTo(93.49, 2);
    expect((trendStats(one).p99 + trendStats(two).p99) / 2).toBeCloseTo(51.57, 2);
  });
});

describe("the summary booking.py writes", () => {
  it("is read back, and a file that is not one is refused with its path", () => {
    const dir = mkdtempSync(join(tmpdir(), "nexus-summary-"));
    const good = join(dir, "good.json");
    const counts = { requests: 2, confirmed: 1, conflicts: 1, declines: 0, errors: 0, dropped: 0 };
    writeFileSync(
      good,
      JSON.stringify({ workload: "hot-seat", prefix: "p-", complete: true, shares: 2, counts, samples: { requests: [1, 2], confirmed: [1], refused: [2] } }),
    );
    expect(readLoadSummary(good).counts).toEqual(counts);
    const bad = join(dir, "bad.json");
    writeFileSync(bad, JSON.stringify({ metrics: {} }));
    expect(() => readLoadSummary(bad)).toThrow(bad);
  });
});
