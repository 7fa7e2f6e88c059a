import { describe, expect, it } from "vitest";
import type { LatencyWindow } from "../store/soak-record.js";
import { soakPeriods } from "./periods.js";

const MIN = 60_000;
const window = (startMs: number, p99Ms: number): LatencyWindow => ({
  startMs,
  endMs: startMs + 5 * MIN,
  definite: 100,
  ok: 90,
  fail: 10,
  unknown: 0,
  p50Ms: 40,
  p99Ms,
  duringRecovery: 3,
});

describe("soakPeriods", () => {
  it("puts each fault, restart and sample in the period it happened in, keeping the most memory held", () => {
    const periods = soakPeriods({
      summaryWindows: [window(0, 900), window(5 * MIN, 1_100)],
      faultTimes: [
        { at: MIN, fault: "kill-worker" },
        { at: 2 * MIN, fault: "kill-restate" },
        { at: 6 * MIN, fault: "kill-worker" },
      ],
      restarts: [{ at: 2 * MIN, readyAt: 2 * MIN + 900, readyMs: 800 }],
      isolate: [
        { at: MIN, life: 1, heapUsedMiB: 20, heapTotalMiB: 30, liveHeapMiB: 5.5, wasmMiB: 2 },
        { at: 4 * MIN, life: 2, heapUsedMiB: 20, heapTotalMiB: 30, liveHeapMiB: 5.9, wasmMiB: 2.1 },
      ],
      samples: [
        { at: MIN, role: "workerd", pid: 1, rssMiB: 150, cpu: null },
        { at: 3 * MIN, role: "workerd", pid: 2, rssMiB: 180, cpu: 0.1 },
        { at: 7 * MIN, role: "workerd", pid: 3, rssMiB: 160, cpu: 0.1 },
      ],
    });
    expect(periods[0]).toMatchObject({
      ok: 90,
      p99Ms: 900,
      duringRecovery: 3,
      faults: { "kill-worker": 1, "kill-restate": 1 },
      restateReadyMs: [800],
      maxLiveHeapMiB: 5.9,
      maxWasmMiB: 2.1,
      maxRssMiB: { workerd: 180 },
    });
    expect(periods[1]).toMatchObject({ faults: { "kill-worker": 1 }, restateReadyMs: [], maxLiveHeapMiB: null, maxRssMiB: { workerd: 160 } });
  });
});
