import type { Op } from "../history/history.js";
import {
  RESTATE_SERVER,
  type LatencyDrift,
  type LatencyWindow,
  type MemorySlope,
  type RestateRecovery,
  type RestateRestart,
  type SoakChecker,
  type SoakOffender,
  type SoakThresholds,
  type SoakVerdict,
} from "../store/soak-record.js";

/**
 * The default limits, chosen for a shared 2-core machine. The Worker's isolate, measured after a full GC, is flat
 * within a fraction of a MiB when nothing leaks: it may rise by 0.5 MiB a minute, and only growth that adds up to
 * 2 MiB within one life counts. A host process's RSS also holds what its allocator and garbage collector have not
 * handed back yet: 2 MiB a minute, counted only past 64 MiB. Restate must serve again within 10 s of a restart. p99
 * may at most triple, and only a rise of more than 500 ms counts (a fault makes single p99s jump by a second or more).
 */
export const DEFAULT_THRESHOLDS: SoakThresholds = {
  workerMaxSlopeMiBPerMin: 0.5,
  workerMinGrowthMiB: 2,
  maxSlopeMiBPerMin: 2,
  minGrowthMiB: 64,
  maxRestateReadyMs: 10_000,
  warmupMs: 20_000,
  maxP99Factor: 3,
  minP99IncreaseMs: 500,
  minWindowAnswers: 10,
};

/** The value at rank `q` (0..1, nearest rank) of `sorted` ascending values; null when empty. */
export function percentile(sorted: number[], q: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

/** The middle value of `values` (the lower of the two middle ones for an even count); null when empty. */
function median(values: number[]): number | null {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? null : sorted[Math.floor((sorted.length - 1) / 2)]!;
}

/** A span of the run, ms since the history began. */
export interface Span {
  from: number;
  to: number;
}

/** Checkout attempts as [invoke, completion] pairs. */
function attempts(history: Op[]): Array<{ start: Op; end: Op }> {
  const invoked = new Map(history.filter((op) => op.type === "invoke" && op.f === "checkout").map((op) => [op.index, op]));
  const pairs: Array<{ start: Op; end: Op }> = [];
  for (const op of history) {
    const start = op.invokeIndex === undefined ? undefined : invoked.get(op.invokeIndex);
    if (start !== undefined && op.type !== "invoke") pairs.push({ start, end: op });
  }
  return pairs;
}

const overlaps = (from: number, to: number, spans: Span[]) => spans.some((s) => from <= s.to && to >= s.from);

/**
 * Cuts `[0, endMs)` into windows of `windowMs` and gives each the p50 and p99 of the checkout attempts answered
 * definitely (ok or fail) that completed in it, latency from invocation to completion; attempts answered info count
 * as unknown. Attempts in flight during one of the `leftOut` spans (Restate down or recovering) are only counted. Pure.
 */
export function latencyWindows(history: Op[], windowMs: number, endMs: number, leftOut: Span[] = []): LatencyWindow[] {
  const count = Math.max(1, Math.ceil(endMs / windowMs));
  const buckets = Array.from({ length: count }, () => ({ latencies: [] as number[], ok: 0, fail: 0, unknown: 0, duringRecovery: 0 }));
  for (const { start, end: op } of attempts(history)) {
    const bucket = buckets[Math.min(count - 1, Math.floor(op.time / windowMs))]!;
    if (overlaps(start.time, op.time, leftOut)) {
      bucket.duringRecovery++;
      continue;
    }
    if (op.type === "info") {
      bucket.unknown++;
      continue;
    }
    bucket[op.type as "ok" | "fail"]++;
    bucket.latencies.push(op.time - start.time);
  }
  return buckets.map((b, i) => {
    const sorted = b.latencies.sort((x, y) => x - y);
    return {
      startMs: i * windowMs,
      endMs: Math.min(endMs, (i + 1) * windowMs),
      definite: sorted.length,
      ok: b.ok,
      fail: b.fail,
      unknown: b.unknown,
      p50Ms: percentile(sorted, 0.5),
      p99Ms: percentile(sorted, 0.99),
      duringRecovery: b.duringRecovery,
    };
  });
}

/** Restate's restarts by the nemesis, from its kill-restate ops: killed at the op's start, serving again at its end. Pure. */
export function restateRestarts(history: Op[]): RestateRestart[] {
  const invoked = new Map(history.filter((op) => op.process === "nemesis" && op.type === "invoke").map((op) => [op.index, op]));
  return history
    .filter((op) => op.process === "nemesis" && op.f === "kill-restate" && op.type === "ok" && op.invokeIndex !== undefined)
    .map((op) => ({ at: invoked.get(op.invokeIndex!)?.time ?? op.time, readyAt: op.time, readyMs: Number(op.value.readyMs ?? 0) }));
}

/**
 * Restate's recovery: its ready time after each restart, and the attempts in flight while it was down or recovering
 * (their p99 is what an outage costs a client). It offends when a restart took longer than `maxRestateReadyMs`. Pure.
 */
export function restateRecovery(history: Op[], restarts: RestateRestart[], thresholds: SoakThresholds): RestateRecovery {
  const spans = restarts.map((r) => ({ from: r.at, to: r.readyAt }));
  const during = attempts(history).filter(({ start, end }) => overlaps(start.time, end.time, spans));
  const definite = during
    .filter(({ end }) => end.type !== "info")
    .map(({ start, end }) => end.time - start.time)
    .sort((a, b) => a - b);
  const ready = restarts.map((r) => r.readyMs);
  const maxReadyMs = ready.length === 0 ? null : Math.max(...ready);
  return {
    restarts,
    medianReadyMs: median(ready),
    maxReadyMs,
    attempts: during.length,
    p99Ms: percentile(definite, 0.99),
    offends: maxReadyMs !== null && maxReadyMs > thresholds.maxRestateReadyMs,
  };
}

/** One memory reading of a process or isolate: when, in which life (a pid, or the Worker's isolate), how much. */
export interface MemoryPoint {
  at: number;
  life: number;
  mib: number;
}

/**
 * The memory slope of `subject` from its `points`, fitted by least squares over the second half of a run of `endMs`,
 * leaving out each life's first `warmupMs`. A killed and restarted process comes back as a new life starting low, so
 * each life gets its own intercept and one common slope is fitted (growth within lives, not the drop at a restart).
 * It offends when the slope exceeds `limits.maxSlopeMiBPerMin` and the slope over the longest judged life (the whole
 * second half for a process never restarted) exceeds `limits.minGrowthMiB`. Pure.
 */
export function memorySlope(
  points: MemoryPoint[],
  subject: { name: string; judgedAs: MemorySlope["judgedAs"]; measure: string },
  endMs: number,
  limits: { maxSlopeMiBPerMin: number; minGrowthMiB: number; warmupMs: number },
): MemorySlope {
  const mine = [...points].sort((a, b) => a.at - b.at);
  const bornAt = new Map<number, number>();
  for (const p of mine) if (!bornAt.has(p.life)) bornAt.set(p.life, p.at);
  const from = endMs / 2;
  const judged = mine.filter((p) => p.at >= from && p.at >= Math.max(limits.warmupMs, bornAt.get(p.life)! + limits.warmupMs));
  const groups = new Map<number, MemoryPoint[]>();
  for (const p of judged) groups.set(p.life, [...(groups.get(p.life) ?? []), p]);
  let sxy = 0;
  let sxx = 0;
  let fitted = 0;
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    const xs = group.map((p) => p.at / 60_000);
    const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
    const my = group.reduce((a, p) => a + p.mib, 0) / group.length;
    group.forEach((p, i) => {
      sxy += (xs[i]! - mx) * (p.mib - my);
      sxx += (xs[i]! - mx) ** 2;
    });
    fitted += group.length;
  }
  const slope = sxx > 0 ? sxy / sxx : null;
  // The growth it showed: the slope over its longest judged life (a process the nemesis restarts lives only so long).
  const spanMin = Math.max(0, ...[...groups.values()].map((g) => (g[g.length - 1]!.at - g[0]!.at) / 60_000));
  const growth = slope === null ? null : slope * spanMin;
  const round = (v: number | null) => (v === null ? null : Math.round(v * 100) / 100);
  return {
    subject: subject.name,
    judgedAs: subject.judgedAs,
    measure: subject.measure,
    slopeMiBPerMin: round(slope),
    projectedGrowthMiB: round(growth),
    samples: fitted,
    incarnations: [...groups.values()].filter((g) => g.length >= 2).length,
    firstMiB: mine[0]?.mib ?? null,
    lastMiB: mine[mine.length - 1]?.mib ?? null,
    maxSlopeMiBPerMin: limits.maxSlopeMiBPerMin,
    minGrowthMiB: limits.minGrowthMiB,
    offends: slope !== null && growth !== null && slope > limits.maxSlopeMiBPerMin && growth > limits.minGrowthMiB,
  };
}

/**
 * Compares the p99 of the run's first windows with its last: of the windows past warm-up with at least
 * `minWindowAnswers` definite answers, the median p99 of the first quarter (at least 2 windows) against the median
 * of the last quarter. It offends when the last is above `maxP99Factor` times the first and higher by more than
 * `minP99IncreaseMs`. Fewer than two sets' worth of windows is not judged (and does not offend). Pure.
 */
export function latencyDrift(windows: LatencyWindow[], thresholds: SoakThresholds): LatencyDrift {
  const eligible = windows.filter((w) => w.startMs >= thresholds.warmupMs && w.definite >= thresholds.minWindowAnswers && w.p99Ms !== null);
  const setSize = Math.max(2, Math.floor(eligible.length / 4));
  const windowMs = eligible[0] === undefined ? 0 : eligible[0].endMs - eligible[0].startMs;
  if (eligible.length < 2 * setSize) return { windowMs, setSize, eligible: eligible.length, firstP99Ms: null, lastP99Ms: null, factor: null, offends: false };
  const first = median(eligible.slice(0, setSize).map((w) => w.p99Ms!))!;
  const last = median(eligible.slice(-setSize).map((w) => w.p99Ms!))!;
  const factor = Math.round((last / Math.max(1, first)) * 100) / 100;
  return {
    windowMs,
    setSize,
    eligible: eligible.length,
    firstP99Ms: first,
    lastP99Ms: last,
    factor,
    offends: factor > thresholds.maxP99Factor && last - first > thresholds.minP99IncreaseMs,
  };
}

/**
 * The soak's verdict: fail when a checker failed, a process's memory grew without bound or p99 drifted; else unknown
 * when a checker could not judge; else pass. Every offender is named. Pure.
 */
export function soakVerdict(
  input: { slopes: MemorySlope[]; drift: LatencyDrift; recovery: RestateRecovery; checkers: SoakChecker[]; droppedArrivals: number },
  thresholds: SoakThresholds,
): SoakVerdict {
  const offenders: SoakOffender[] = [
    ...input.checkers
      .filter((c) => c.valid === false)
      .map((c): SoakOffender => ({ kind: "checker", subject: c.name, detail: c.problems[0] ?? "failed", value: c.problemCount, limit: 0 })),
    ...input.slopes
      .filter((s) => s.offends)
      .map(
        (s): SoakOffender => ({
          kind: "memory",
          subject: s.subject,
          detail: `${s.measure} rose ${s.slopeMiBPerMin} MiB/min over the second half, ${s.projectedGrowthMiB} MiB within one life, above ${s.maxSlopeMiBPerMin} MiB/min and ${s.minGrowthMiB} MiB`,
          value: s.slopeMiBPerMin,
          limit: s.maxSlopeMiBPerMin,
        }),
      ),
    ...(input.recovery.offends
      ? [
          {
            kind: "recovery" as const,
            subject: RESTATE_SERVER,
            detail: `Restate took up to ${input.recovery.maxReadyMs} ms to serve again after a restart (median ${input.recovery.medianReadyMs} ms), above ${thresholds.maxRestateReadyMs} ms`,
            value: input.recovery.maxReadyMs,
            limit: thresholds.maxRestateReadyMs,
          },
        ]
      : []),
    ...(input.drift.offends
      ? [
          {
            kind: "latency" as const,
            subject: "p99",
            detail: `p99 of ${input.drift.windowMs / 1000} s windows went from ${input.drift.firstP99Ms} ms to ${input.drift.lastP99Ms} ms (×${input.drift.factor}), above ×${thresholds.maxP99Factor} and +${thresholds.minP99IncreaseMs} ms`,
            value: input.drift.factor,
            limit: thresholds.maxP99Factor,
          },
        ]
      : []),
  ];
  const undecided = input.checkers.filter((c) => c.valid === "unknown").map((c) => c.name);
  const status = offenders.length > 0 ? "fail" : undecided.length > 0 ? "unknown" : "pass";
  const passed = input.checkers.filter((c) => c.valid === true).length;
  const dropped = input.droppedArrivals > 0 ? `; ${input.droppedArrivals} arrivals dropped (the machine could not keep the rate)` : "";
  const what =
    status === "fail"
      ? offenders.map((o) => `${o.kind} ${o.subject}`).join(", ")
      : status === "unknown"
        ? `undecided: ${undecided.join(", ")}`
        : "memory, Restate's recovery and p99 within limits";
  const headline = `${{ pass: "PASS", fail: "FAIL", unknown: "UNKNOWN" }[status]}: soak ${what}; ${passed} of ${input.checkers.length} checkers passed${dropped}`;
  return { status, headline, offenders };
}
