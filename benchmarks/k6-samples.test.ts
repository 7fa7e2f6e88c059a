import { describe, expect, it } from "vitest";
import { addPoint, k6Percentile, mergeSummaries, trendValues, type K6Summary } from "./k6-samples.js";

const point = (metric: string, value: number, tags: Record<string, string> = {}) =>
  JSON.stringify({ metric, type: "Point", data: { time: "2026-01-01T00:00:00Z", value, tags } });

describe("percentiles as k6 computes them", () => {
  it("interpolates between the closest ranks", () => {
    const sorted = [10, 20, 30, 40];
    expect(k6Percentile(sorted, 0.5)).toBe(25);
    expect(k6Percentile(sorted, 0.99)).toBeCloseTo(39.7, 10);
    expect(k6Percentile(sorted, 0)).toBe(10);
    expect(k6Percentile(sorted, 1)).toBe(40);
    expect(k6Percentile([7], 0.99)).toBe(7);
    expect(k6Percentile([], 0.5)).toBe(0);
  });

  it("summarises a trend from its samples, in any order", () => {
    expect(trendValues([30, 10, 40, 20])).toMatchObject({ count: 4, min: 10, max: 40, avg: 25, med: 25 });
  });
});

describe("merging a split cell", () => {
  const part = (confirmed: number, reqs: number, p99: number): K6Summary => ({
    metrics: {
      confirmed: { type: "counter", values: { count: confirmed, rate: 1 } },
      http_reqs: { type: "counter", values: { count: reqs, rate: 1 } },
      confirmed_duration: { type: "trend", values: { med: 1, "p(99)": p99 } },
      vus: { type: "gauge", values: { value: 5 } },
    },
  });

  it("sums the counters and computes percentiles from the union of the samples, not the mean of the instances' percentiles", () => {
    // Instance A's confirmed checkouts took 1..99 ms, B's all 1000 ms: the mean of their p99s would be ~549.
    const samples = new Map<string, number[]>();
    for (let ms = 1; ms <= 99; ms++) addPoint(samples, point("confirmed_duration", ms));
    addPoint(samples, point("confirmed_duration", 1000));
    const merged = mergeSummaries([part(99, 120, 98), part(1, 10, 1000)], samples);
    expect(merged.metrics.confirmed?.values.count).toBe(100);
    expect(merged.metrics.http_reqs?.values.count).toBe(130);
    expect(merged.metrics.vus).toBeUndefined();
    expect(merged.metrics.confirmed_duration?.values.med).toBeCloseTo(50.5, 10);
    expect(merged.metrics.confirmed_duration?.values["p(99)"]).toBeCloseTo(99 + 0.01 * 901, 10);
    expect(merged.metrics.refused_duration?.values).toMatchObject({ count: 0, med: 0, "p(99)": 0 });
  });

  it("keeps checkout requests apart from the other requests, as the summary's {name:checkout} sub-metric does", () => {
    const samples = new Map<string, number[]>();
    addPoint(samples, point("http_req_duration", 5, { name: "checkout" }));
    addPoint(samples, point("http_req_duration", 7, { name: "get" }));
    addPoint(samples, point("http_req_waiting", 3, { name: "checkout" }));
    addPoint(samples, JSON.stringify({ metric: "http_req_duration", type: "Metric", data: { type: "trend" } }));
    expect(samples.get("http_req_duration")).toEqual([5, 7]);
    expect(samples.get("http_req_duration{name:checkout}")).toEqual([5]);
    expect(samples.has("http_req_waiting")).toBe(false);
  });
});
