import type { CheckResult } from "../checkers/checker.js";
import type { Op } from "../history/history.js";
import { RESTATE_SERVER, type MemorySlope, type SoakRecord, type SoakThresholds } from "../store/soak-record.js";
import { soakPeriods } from "./periods.js";
import { latencyWindows, latencyDrift, memorySlope, restateRecovery, restateRestarts, soakVerdict } from "./judge.js";

/** The host processes whose RSS is judged, in the order a report shows them. */
export const JUDGED_ROLES = [RESTATE_SERVER, "workerd", "worker-host", "harness"];

/** Summary windows for a long run: five minutes. */
export const SUMMARY_WINDOW_MS = 300_000;

/** What a soak run leaves besides its history: the resource samples, the Worker's isolate samples and the booking counts. */
export interface SoakFigures {
  samples: SoakRecord["samples"];
  isolate: SoakRecord["isolate"];
  /** When sampling ended, ms since the history began. */
  endMs: number;
  launched: number;
  ok: number;
  fail: number;
  unknown: number;
  attempts: number;
  /** Arrivals not started because too many checkouts were already in flight. */
  droppedArrivals: number;
}

/** What the soak's run gives the judgement: its figures, its history and the checkers' results. */
export interface SoakInput {
  options: SoakRecord["options"];
  thresholds: SoakThresholds;
  wallMs: number;
  figures: SoakFigures;
  history: Op[];
  results: CheckResult[];
  gateFolder: string;
}

/**
 * A host process's memory slope, on its RSS; restate-server's on its RSS less its RocksDB block cache when its metrics
 * gave the cache (only those samples): the cache fills up to its configured capacity with the blocks read since the
 * start, so in a server restarted every few minutes it rises through every life; what grows outside it is judged.
 */
export function hostSlope(samples: SoakRecord["samples"], role: string, endMs: number, thresholds: SoakThresholds): MemorySlope {
  const own = samples.filter((s) => s.role === role);
  const lessCache = role === RESTATE_SERVER && own.some((s) => s.blockCacheMiB !== undefined);
  const points = lessCache
    ? own.flatMap((s) => (s.blockCacheMiB === undefined ? [] : [{ at: s.at, life: s.pid, mib: Math.round((s.rssMiB - s.blockCacheMiB) * 10) / 10 }]))
    : own.map((s) => ({ at: s.at, life: s.pid, mib: s.rssMiB }));
  return memorySlope(points, { name: role, judgedAs: "host", measure: lessCache ? "RSS less its block cache" : "RSS" }, endMs, thresholds);
}

/**
 * Judges a finished soak: the Worker's isolate memory with the Worker's limits, each host process's RSS
 * (restate-server's less its block cache) with the host's, Restate's recovery after each restart, latency windows
 * without the attempts caught in a recovery, p99 drift, and the verdict with its offenders. Pure.
 */
export function soakRecordOf(input: SoakInput): SoakRecord {
  const { figures, history, thresholds } = input;
  const restarts = restateRestarts(history);
  const recovery = restateRecovery(history, restarts, thresholds);
  const outages = restarts.map((r) => ({ from: r.at, to: r.readyAt }));
  const windows = latencyWindows(history, input.options.windowMs, figures.endMs, outages);
  const roles = [...JUDGED_ROLES, ...new Set(figures.samples.map((s) => s.role).filter((r) => !JUDGED_ROLES.includes(r)))];
  const worker = memorySlope(
    figures.isolate.map((s) => ({ at: s.at, life: s.life, mib: s.liveHeapMiB + s.wasmMiB })),
    { name: "worker isolate", judgedAs: "worker", measure: "live heap + wasm" },
    figures.endMs,
    { maxSlopeMiBPerMin: thresholds.workerMaxSlopeMiBPerMin, minGrowthMiB: thresholds.workerMinGrowthMiB, warmupMs: thresholds.warmupMs },
  );
  const hosts = roles.filter((role) => figures.samples.some((s) => s.role === role)).map((role) => hostSlope(figures.samples, role, figures.endMs, thresholds));
  const slopes = figures.isolate.length > 0 ? [worker, ...hosts] : hosts;
  const summaryWindows = latencyWindows(history, SUMMARY_WINDOW_MS, figures.endMs, outages);
  // A run with four whole five-minute windows is judged on them: each holds several faults, so its p99 is what the
  // faults cost, which the median of short windows leaves out (a slower recovery as state grows shows only there).
  const whole = summaryWindows.filter((w) => w.endMs - w.startMs === SUMMARY_WINDOW_MS);
  const drift = whole.length >= 4 ? latencyDrift(whole, { ...thresholds, warmupMs: 0 }) : latencyDrift(windows, thresholds);
  const checkers = input.results.map((r) => ({ name: r.name, valid: r.valid, problemCount: r.problems.length, problems: r.problems.slice(0, 20) }));
  const faultTimes = history
    .filter((op) => op.process === "nemesis" && op.type !== "invoke")
    .map((op) => ({ at: op.time - Number(op.value.tookMs ?? 0), fault: op.f, tookMs: Number(op.value.tookMs ?? 0) }));
  const periods = soakPeriods({ summaryWindows, faultTimes, restarts, isolate: figures.isolate, samples: figures.samples });
  const faults: Record<string, number> = {};
  for (const op of history) if (op.process === "nemesis" && op.type === "ok") faults[op.f] = (faults[op.f] ?? 0) + 1;
  return {
    options: input.options,
    thresholds,
    wallMs: input.wallMs,
    bookings: {
      launched: figures.launched,
      ok: figures.ok,
      fail: figures.fail,
      unknown: figures.unknown,
      attempts: figures.attempts,
      droppedArrivals: figures.droppedArrivals,
    },
    faults,
    faultTimes,
    samples: figures.samples,
    isolate: figures.isolate,
    windows,
    summaryWindows,
    periods,
    slopes,
    drift,
    recovery,
    checkers,
    gateFolder: input.gateFolder,
    verdict: soakVerdict({ slopes, drift, recovery, checkers, droppedArrivals: figures.droppedArrivals }, thresholds),
  };
}
