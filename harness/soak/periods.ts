import type { IsolateSample, LatencyWindow, ResourceSample, RestateRestart, SoakPeriod } from "../store/soak-record.js";

/** What a run's periods are cut from: its summary windows and everything sampled or struck during them. */
export interface PeriodInput {
  summaryWindows: LatencyWindow[];
  faultTimes: Array<{ at: number; fault: string }>;
  restarts: RestateRestart[];
  isolate: IsolateSample[];
  samples: ResourceSample[];
}

const max = (values: number[]) => (values.length === 0 ? null : Math.max(...values));

/**
 * The run period by period (its summary windows, five minutes each): answers and latency, faults struck, Restate's
 * ready time after each restart in it, and the most memory the Worker's isolate, each host process and Restate's
 * block cache held. Pure.
 */
export function soakPeriods(input: PeriodInput): SoakPeriod[] {
  return input.summaryWindows.map((w) => {
    const within = (at: number) => at >= w.startMs && at < w.endMs;
    const faults: Record<string, number> = {};
    for (const f of input.faultTimes.filter((f) => within(f.at))) faults[f.fault] = (faults[f.fault] ?? 0) + 1;
    const isolate = input.isolate.filter((s) => within(s.at));
    const rssMiB: Record<string, number> = {};
    for (const s of input.samples.filter((s) => within(s.at))) rssMiB[s.role] = Math.max(rssMiB[s.role] ?? 0, s.rssMiB);
    return {
      startMs: w.startMs,
      endMs: w.endMs,
      ok: w.ok,
      fail: w.fail,
      unknown: w.unknown,
      duringRecovery: w.duringRecovery,
      p50Ms: w.p50Ms,
      p99Ms: w.p99Ms,
      faults,
      restateReadyMs: input.restarts.filter((r) => within(r.at)).map((r) => r.readyMs),
      maxLiveHeapMiB: max(isolate.map((s) => s.liveHeapMiB)),
      maxWasmMiB: max(isolate.map((s) => s.wasmMiB)),
      maxRssMiB: rssMiB,
      maxBlockCacheMiB: max(input.samples.filter((s) => within(s.at) && s.blockCacheMiB !== undefined).map((s) => s.blockCacheMiB!)),
    };
  });
}
