import { describe, expect, it } from "vitest";
import type { Op } from "../history/history.js";
import type { IsolateSample, LatencyWindow, ResourceSample } from "../store/soak-record.js";
import { DEFAULT_THRESHOLDS, latencyDrift, latencyWindows, percentile, restateRecovery, restateRestarts, soakVerdict } from "./judge.js";
import { hostSlope, soakRecordOf } from "./soak-result.js";

const MIN = 60_000;

/** Samples of `role` every 5 s over `minutes`, RSS from `rss(minute)`, the pid changing at each `restarts` minute. */
function series(role: string, minutes: number, rss: (minute: number) => number, restarts: number[] = []): ResourceSample[] {
  const out: ResourceSample[] = [];
  for (let at = 0; at <= minutes * MIN; at += 5_000) {
    const pid = 100 + restarts.filter((r) => at >= r * MIN).length;
    out.push({ at, role, pid, rssMiB: rss(at / MIN), cpu: 0.1 });
  }
  return out;
}

/** The record of a soak of `minutes` judged on its memory samples alone: no bookings, no history, no checkers. */
function memoryOnlySoak(minutes: number, samples: ResourceSample[], isolate: IsolateSample[]) {
  return soakRecordOf({
    options: { durationMs: minutes * MIN, rate: 5, nemesisEveryMs: MIN, sampleEveryMs: 5_000, windowMs: 30_000, seed: 1 },
    thresholds: DEFAULT_THRESHOLDS,
    wallMs: minutes * MIN,
    figures: { samples, isolate, endMs: minutes * MIN, launched: 0, ok: 0, fail: 0, unknown: 0, attempts: 0, droppedArrivals: 0 },
    history: [],
    results: [],
    gateFolder: "soak",
  });
}

/** A checkout attempt invoked at `start` and completed `latency` ms later as `type`. */
function attempt(ops: Op[], start: number, latency: number, type: "ok" | "fail" | "info"): void {
  const invoke: Op = { index: ops.length, process: "c", type: "invoke", f: "checkout", value: {}, time: start };
  ops.push(invoke, { ...invoke, index: ops.length + 1, type, time: start + latency, invokeIndex: invoke.index });
}

const window = (startMs: number, p99Ms: number, definite = 100): LatencyWindow => ({
  startMs,
  endMs: startMs + 30_000,
  definite,
  ok: definite,
  fail: 0,
  unknown: 0,
  p50Ms: p99Ms / 4,
  p99Ms,
  duringRecovery: 0,
});

describe("memorySlope", () => {
  it("finds a steady leak over a long run and fails it", () => {
    const slope = hostSlope(
      series("workerd", 30, (m) => 100 + 5 * m),
      "workerd",
      30 * MIN,
      DEFAULT_THRESHOLDS,
    );
    expect(slope.slopeMiBPerMin).toBeCloseTo(5, 5);
    expect(slope.projectedGrowthMiB).toBeGreaterThan(64);
    expect(slope.offends).toBe(true);
  });

  it("passes flat memory with noise", () => {
    const slope = hostSlope(
      series("harness", 30, (m) => 150 + 8 * Math.sin(m * 7)),
      "harness",
      30 * MIN,
      DEFAULT_THRESHOLDS,
    );
    expect(Math.abs(slope.slopeMiBPerMin!)).toBeLessThan(1);
    expect(slope.offends).toBe(false);
  });

  it("does not fail a short run on a steep but small rise (below the growth floor)", () => {
    // 3 minutes: the second half is 90 s; 20 MiB/min over it is 30 MiB, under the 64 MiB floor.
    const slope = hostSlope(
      series("harness", 3, (m) => 100 + 20 * m),
      "harness",
      3 * MIN,
      DEFAULT_THRESHOLDS,
    );
    expect(slope.slopeMiBPerMin).toBeCloseTo(20, 5);
    expect(slope.offends).toBe(false);
    // The same slope kept for 30 minutes grows far past the floor.
    expect(
      hostSlope(
        series("harness", 30, (m) => 100 + 20 * m),
        "harness",
        30 * MIN,
        DEFAULT_THRESHOLDS,
      ).offends,
    ).toBe(true);
  });

  it("ignores the first half: a warm-up ramp that levels off passes", () => {
    const slope = hostSlope(
      series("restate-server", 30, (m) => 60 + 80 * Math.min(1, m / 10)),
      "restate-server",
      30 * MIN,
      DEFAULT_THRESHOLDS,
    );
    expect(slope.slopeMiBPerMin).toBe(0);
    expect(slope.offends).toBe(false);
  });

  it("fits within incarnations: restarts that drop memory neither hide a leak nor make one", () => {
    const restarts = [16, 23];
    // Leaking 10 MiB/min within each incarnation, dropping to 100 MiB at each restart: 70 MiB in a 7-minute life.
    const leaky = series("workerd", 30, (m) => 100 + 10 * (m - Math.max(0, ...restarts.filter((r) => r <= m))), restarts);
    const fit = hostSlope(leaky, "workerd", 30 * MIN, { ...DEFAULT_THRESHOLDS, warmupMs: 0 });
    expect(fit.slopeMiBPerMin).toBeCloseTo(10, 5);
    expect(fit.incarnations).toBe(3);
    expect(fit.projectedGrowthMiB).toBeCloseTo(70, 5);
    expect(fit.offends).toBe(true);
    // Flat within each incarnation, each one settling at a different level: no slope.
    const flat = series("workerd", 30, (m) => 100 + 10 * restarts.filter((r) => r <= m).length, restarts);
    expect(hostSlope(flat, "workerd", 30 * MIN, { ...DEFAULT_THRESHOLDS, warmupMs: 0 }).slopeMiBPerMin).toBe(0);
  });

  it("judges a process restarted every 45 s by the growth of one life: a steep ramp that a restart ends passes", () => {
    // As workerd in a 3-minute soak: killed every 45 s, rising 80 MiB/min from 130 MiB in each life.
    const restarts = [0.75, 1.5, 2.25];
    const ramp = series("workerd", 3, (m) => 130 + 80 * (m - Math.max(0, ...restarts.filter((r) => r <= m))), restarts);
    const fit = hostSlope(ramp, "workerd", 3 * MIN, DEFAULT_THRESHOLDS);
    expect(fit.slopeMiBPerMin).toBeCloseTo(80, 5);
    expect(fit.projectedGrowthMiB).toBeLessThan(DEFAULT_THRESHOLDS.minGrowthMiB);
    expect(fit.offends).toBe(false);
  });

  it("leaves each incarnation's warm-up out", () => {
    // A new pid at minute 20 ramps 50 MiB in its first 15 s, then stays flat.
    const samples = series("workerd", 30, (m) => (m < 20 ? 100 : 100 + 50 * Math.min(1, (m - 20) / 0.25)), [20]);
    const fit = hostSlope(samples, "workerd", 30 * MIN, DEFAULT_THRESHOLDS);
    expect(fit.slopeMiBPerMin).toBe(0);
    expect(fit.offends).toBe(false);
  });

  it("says so when too few samples are left to fit", () => {
    const fit = hostSlope(series("workerd", 1, () => 100).slice(0, 1), "workerd", MIN, DEFAULT_THRESHOLDS);
    expect(fit.slopeMiBPerMin).toBeNull();
    expect(fit.offends).toBe(false);
  });
});

describe("latencyWindows", () => {
  it("gives each window the p50 and p99 of its definite answers, counting info attempts apart", () => {
    const ops: Op[] = [];
    for (let i = 1; i <= 100; i++) attempt(ops, 1_000, i * 10, "ok");
    attempt(ops, 31_000, 5_000, "fail");
    attempt(ops, 31_000, 20_000, "info");
    const [first, second] = latencyWindows(ops, 30_000, 60_000);
    expect(first).toMatchObject({ definite: 100, ok: 100, p50Ms: 500, p99Ms: 990 });
    expect(second).toMatchObject({ definite: 1, fail: 1, unknown: 1, p50Ms: 5_000, p99Ms: 5_000 });
  });

  it("leaves empty windows empty", () => {
    expect(latencyWindows([], 30_000, 60_000).map((w) => w.p99Ms)).toEqual([null, null]);
  });

  it("leaves out, and counts, the attempts in flight while Restate was down", () => {
    const ops: Op[] = [];
    for (let i = 0; i < 50; i++) attempt(ops, i * 500, 40, "ok"); // 9 of them invoked from 10 s to 14 s
    attempt(ops, 9_000, 6_000, "ok"); // caught by the outage from 10 s to 14 s
    attempt(ops, 14_500, 3_000, "ok"); // after it: the Worker's own latency
    const [window] = latencyWindows(ops, 30_000, 30_000, [{ from: 10_000, to: 14_000 }]);
    expect(window).toMatchObject({ definite: 42, duringRecovery: 10, p99Ms: 3_000 });
  });
});

describe("restateRecovery", () => {
  /** A kill-restate nemesis op from `at`, ready `readyMs` after its restart began. */
  function restart(ops: Op[], at: number, tookMs: number, readyMs: number): void {
    const invoke: Op = { index: ops.length, process: "nemesis", type: "invoke", f: "kill-restate", value: {}, time: at };
    ops.push(invoke, { ...invoke, index: ops.length + 1, type: "ok", value: { readyMs, tookMs }, time: at + tookMs, invokeIndex: invoke.index });
  }

  it("gives each restart's ready time and the attempts caught in it, and fails a recovery slower than the limit", () => {
    const ops: Op[] = [];
    restart(ops, 10_000, 1_500, 1_200);
    attempt(ops, 9_500, 2_500, "ok");
    attempt(ops, 20_000, 100, "ok");
    restart(ops, 60_000, 12_000, 11_500);
    const history = ops.sort((a, b) => a.time - b.time);
    const recovery = restateRecovery(history, restateRestarts(history), DEFAULT_THRESHOLDS);
    expect(recovery.restarts).toEqual([
      { at: 10_000, readyAt: 11_500, readyMs: 1_200 },
      { at: 60_000, readyAt: 72_000, readyMs: 11_500 },
    ]);
    expect(recovery).toMatchObject({ attempts: 1, p99Ms: 2_500, medianReadyMs: 1_200, maxReadyMs: 11_500, offends: true });
    expect(restateRecovery(history, restateRestarts(history), { ...DEFAULT_THRESHOLDS, maxRestateReadyMs: 12_000 }).offends).toBe(false);
  });
});

describe("percentile", () => {
  it("takes the nearest rank", () => {
    expect(percentile([1, 2, 3, 4], 0.5)).toBe(2);
    expect(percentile([1, 2, 3, 4], 0.99)).toBe(4);
    expect(percentile([], 0.5)).toBeNull();
  });
});

describe("latencyDrift", () => {
  const steady = (p99s: number[]) => p99s.map((p, i) => window(30_000 + i * 30_000, p));

  it("fails a p99 that climbs far and by a lot", () => {
    const drift = latencyDrift(steady([200, 220, 210, 400, 800, 1200, 1500, 1600]), DEFAULT_THRESHOLDS);
    expect(drift.firstP99Ms).toBe(200);
    expect(drift.lastP99Ms).toBe(1500);
    expect(drift.offends).toBe(true);
  });

  it("passes a noisy but steady p99, spikes in single windows included", () => {
    expect(latencyDrift(steady([300, 2500, 280, 320, 3000, 310, 290, 330]), DEFAULT_THRESHOLDS).offends).toBe(false);
  });

  it("does not fail a large factor of a small latency (below the absolute floor)", () => {
    const drift = latencyDrift(steady([20, 25, 22, 24, 90, 100, 110, 95]), DEFAULT_THRESHOLDS);
    expect(drift.factor).toBeGreaterThan(3);
    expect(drift.offends).toBe(false);
  });

  it("leaves out the warm-up and thin windows, and does not judge too few windows", () => {
    const windows = [window(0, 5_000), ...steady([200, 210]), window(200_000, 9_000, 3)];
    const drift = latencyDrift(windows, DEFAULT_THRESHOLDS);
    expect(drift.eligible).toBe(2);
    expect(drift.firstP99Ms).toBeNull();
    expect(drift.offends).toBe(false);
  });
});

describe("soakVerdict", () => {
  const flat = hostSlope(
    series("workerd", 30, () => 100),
    "workerd",
    30 * MIN,
    DEFAULT_THRESHOLDS,
  );
  const calm = latencyDrift([], DEFAULT_THRESHOLDS);
  const recovered = restateRecovery([], [], DEFAULT_THRESHOLDS);
  const passing = [{ name: "no-double-sale", valid: true as const, problemCount: 0, problems: [] }];

  it("passes when memory, latency and every checker pass", () => {
    expect(soakVerdict({ slopes: [flat], drift: calm, recovery: recovered, checkers: passing, droppedArrivals: 0 }, DEFAULT_THRESHOLDS)).toMatchObject({
      status: "pass",
      offenders: [],
    });
  });

  it("fails on a failed checker, naming it", () => {
    const checkers = [...passing, { name: "exactly-once-charge", valid: false as const, problemCount: 41, problems: ["booking b1 charged twice"] }];
    const verdict = soakVerdict({ slopes: [flat], drift: calm, recovery: recovered, checkers, droppedArrivals: 0 }, DEFAULT_THRESHOLDS);
    expect(verdict.status).toBe("fail");
    expect(verdict.offenders).toEqual([{ kind: "checker", subject: "exactly-once-charge", detail: "booking b1 charged twice", value: 41, limit: 0 }]);
    expect(verdict.headline).toMatch(/^FAIL: soak checker exactly-once-charge/);
  });

  it("fails on growing memory and on drifting p99, naming the process and the p99", () => {
    const leak = { ...flat, subject: "restate-server", slopeMiBPerMin: 9, projectedGrowthMiB: 135, offends: true };
    const drift = { ...calm, firstP99Ms: 200, lastP99Ms: 2_000, factor: 10, offends: true };
    const verdict = soakVerdict({ slopes: [flat, leak], drift, recovery: recovered, checkers: passing, droppedArrivals: 0 }, DEFAULT_THRESHOLDS);
    expect(verdict.status).toBe("fail");
    expect(verdict.offenders.map((o) => `${o.kind} ${o.subject}`)).toEqual(["memory restate-server", "latency p99"]);
  });

  it("is unknown when a checker could not judge and nothing failed", () => {
    const checkers = [...passing, { name: "liveness", valid: "unknown" as const, problemCount: 0, problems: [] }];
    expect(soakVerdict({ slopes: [flat], drift: calm, recovery: recovered, checkers, droppedArrivals: 0 }, DEFAULT_THRESHOLDS).status).toBe("unknown");
  });
});

describe("soakRecordOf", () => {
  it("carries a failed checker result into the record's verdict", () => {
    const history: Op[] = [];
    attempt(history, 1_000, 100, "ok");
    const record = soakRecordOf({
      options: { durationMs: 3 * MIN, rate: 5, nemesisEveryMs: 15_000, sampleEveryMs: 5_000, windowMs: 30_000, seed: 1 },
      thresholds: DEFAULT_THRESHOLDS,
      wallMs: 200_000,
      figures: {
        samples: series("workerd", 3, () => 100),
        isolate: [],
        endMs: 3 * MIN,
        launched: 1,
        ok: 1,
        fail: 0,
        unknown: 0,
        attempts: 1,
        droppedArrivals: 0,
      },
      history,
      results: [{ name: "no-double-sale", valid: false, problems: ["seat s1 sold twice"], offenders: { bookings: [], seats: ["s1"], ledger: [] }, stats: {} }],
      gateFolder: "soak",
    });
    expect(record.verdict.status).toBe("fail");
    expect(record.verdict.offenders[0]).toMatchObject({ kind: "checker", subject: "no-double-sale", value: 1 });
    expect(record.checkers[0]).toMatchObject({ name: "no-double-sale", valid: false, problemCount: 1 });
    expect(record.windows).toHaveLength(6);
    expect(record.slopes.map((s) => s.subject)).toEqual(["workerd"]);
  });

  it("judges the Worker on its isolate's live heap and wasm, with the Worker's limits, apart from workerd's RSS", () => {
    // workerd's RSS climbs 10 MiB/min (garbage its isolates have not collected); the Worker keeps 2 MiB more a minute.
    const isolate = Array.from({ length: 37 }, (_, i) => ({
      at: i * 5_000,
      life: 1,
      heapUsedMiB: 20,
      heapTotalMiB: 30,
      liveHeapMiB: 5 + i * (10 / 60),
      wasmMiB: 1.3,
    }));
    const record = memoryOnlySoak(
      3,
      series("workerd", 3, (m) => 100 + 10 * m),
      isolate,
    );
    expect(record.slopes.map((s) => [s.subject, s.judgedAs, s.offends])).toEqual([
      ["worker isolate", "worker", true],
      ["workerd", "host", false],
    ]);
    expect(record.slopes[0]!.slopeMiBPerMin).toBeCloseTo(2, 5);
    expect(record.verdict.offenders.map((o) => `${o.kind} ${o.subject}`)).toEqual(["memory worker isolate"]);
  });

  it("judges restate-server on its RSS less its block cache, so a cache filling through each life is not growth, but growth outside it is", () => {
    // Restarted every 3 minutes; RSS climbs 30 MiB/min in every life (about 80 MiB in its judged part, above the host's 64 MiB).
    const climbing = (at: number) => 200 + 30 * ((at / MIN) % 3);
    const judge = (cache: (at: number) => number) =>
      memoryOnlySoak(
        12,
        series("restate-server", 12, (m) => climbing(m * MIN), [3, 6, 9, 12]).map((s) => ({ ...s, blockCacheMiB: cache(s.at) })),
        [],
      ).slopes[0]!;
    // The cache holds all of the climb: what is left is flat.
    const cacheFilling = judge((at) => 20 + 30 * ((at / MIN) % 3));
    expect(cacheFilling).toMatchObject({ subject: "restate-server", measure: "RSS less its block cache", offends: false });
    expect(cacheFilling.slopeMiBPerMin).toBeCloseTo(0, 5);
    // The cache stays flat: the climb is outside it, and judged.
    const cacheFlat = judge(() => 20);
    expect(cacheFlat).toMatchObject({ measure: "RSS less its block cache", offends: true });
    expect(cacheFlat.slopeMiBPerMin).toBeCloseTo(30, 5);
  });

  it("judges a long run's drift on its five-minute windows, where slower recoveries after faults show", () => {
    // 30 minutes, an answer every 500 ms in 50 ms; once a minute a fault makes 5 answers slow, slower each time.
    const history: Op[] = [];
    for (let t = 0; t < 30 * MIN; t += 500) attempt(history, t, 50, "ok");
    for (let minute = 1; minute < 30; minute++) for (let k = 0; k < 5; k++) attempt(history, minute * MIN + k * 100, 1_000 + minute * 300, "ok");
    history.sort((a, b) => a.time - b.time || a.index - b.index);
    const record = soakRecordOf({
      options: { durationMs: 30 * MIN, rate: 2, nemesisEveryMs: MIN, sampleEveryMs: 5_000, windowMs: 30_000, seed: 1 },
      thresholds: DEFAULT_THRESHOLDS,
      wallMs: 30 * MIN,
      figures: {
        samples: series("workerd", 30, () => 100),
        isolate: [],
        endMs: 30 * MIN,
        launched: 1,
        ok: 1,
        fail: 0,
        unknown: 0,
        attempts: 1,
        droppedArrivals: 0,
      },
      history,
      results: [],
      gateFolder: "soak",
    });
    // The median of the 30 s windows' p99s stays at 50 ms: judged on those, this run would not drift.
    expect(latencyDrift(record.windows, DEFAULT_THRESHOLDS).offends).toBe(false);
    expect(record.drift).toMatchObject({ windowMs: 300_000, offends: true });
    expect(record.verdict.offenders.map((o) => o.kind)).toEqual(["latency"]);
  });
});
