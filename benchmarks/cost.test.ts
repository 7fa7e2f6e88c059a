import { describe, expect, it } from "vitest";
import { usdPer1000Confirmed, WORKERS_STANDARD_PRICES } from "./cost.js";

describe("usdPer1000Confirmed", () => {
  it("prices a thousand bookings' Worker requests and CPU milliseconds", () => {
    // 1,000 × 6 requests × $0.30/M + 1,000 × 10 CPU-ms × $0.02/M = $0.0018 + $0.0002
    expect(usdPer1000Confirmed({ workerRequestsPerConfirmed: 6, workerCpuMsPerConfirmed: 10 }, WORKERS_STANDARD_PRICES)).toBe(0.002);
    const prices = { ...WORKERS_STANDARD_PRICES, perMillionRequests: 1, perMillionCpuMs: 0 };
    expect(usdPer1000Confirmed({ workerRequestsPerConfirmed: 6, workerCpuMsPerConfirmed: 10 }, prices)).toBe(0.006);
  });

  it("is null when a cell measured no requests or no CPU", () => {
    expect(usdPer1000Confirmed({ workerRequestsPerConfirmed: null, workerCpuMsPerConfirmed: 10 }, WORKERS_STANDARD_PRICES)).toBeNull();
    expect(usdPer1000Confirmed({ workerRequestsPerConfirmed: 6, workerCpuMsPerConfirmed: null }, WORKERS_STANDARD_PRICES)).toBeNull();
  });
});
