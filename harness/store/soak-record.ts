import { writeFile } from "node:fs/promises";
import { join } from "node:path";

/** The role of the Restate server's process in samples and verdicts, the name the native runtime starts it under. */
export const RESTATE_SERVER = "restate-server";

/** One reading of one process: its resident memory and the CPU it used since the previous reading of the same pid. */
export interface ResourceSample {
  /** Milliseconds since the soak's history began. */
  at: number;
  /** What the process is: "restate-server", "workerd", "worker-host" (the Miniflare Node process), "harness". */
  role: string;
  pid: number;
  /** VmRSS, MiB. */
  rssMiB: number;
  /** restate-server only: its RocksDB block cache in use (memtables charged to it), MiB, from its metrics when it answered. */
  blockCacheMiB?: number;
  /** Share of one core used since this pid's previous sample (utime+stime); null on a pid's first sample, or one under a second after it. */
  cpu: number | null;
}

/** One reading of the Worker's own isolate through its inspector (MiB): what the Worker keeps, apart from its host. */
export interface IsolateSample {
  /** Milliseconds since the soak's history began. */
  at: number;
  /** Which life of the Worker the isolate belongs to: 1 until the first restart, then 2, ... */
  life: number;
  /** JS heap in use and reserved as found, uncollected garbage included. */
  heapUsedMiB: number;
  heapTotalMiB: number;
  /** JS heap in use after a full garbage collection: the objects the Worker keeps. */
  liveHeapMiB: number;
  /** Linear memory of the isolate's WebAssembly instances (the Restate SDK's core). */
  wasmMiB: number;
}

/** One restart of Restate by the nemesis: when it was killed, and how long the new server took to serve again. */
export interface RestateRestart {
  /** Ms since the history began when the kill struck, and when the restarted server was ready. */
  at: number;
  readyAt: number;
  /** From the restart command to a server ready to serve (what its state's recovery costs). */
  readyMs: number;
}

/** Restate's recovery after its restarts, judged on its own: the seconds it did not serve are left out of the Worker's latency. */
export interface RestateRecovery {
  restarts: RestateRestart[];
  medianReadyMs: number | null;
  maxReadyMs: number | null;
  /** Checkout attempts in flight while Restate was down or recovering: left out of the latency windows and the drift. */
  attempts: number;
  /** p99 of those attempts that got a definite answer (ms): what an outage costs a client. */
  p99Ms: number | null;
  offends: boolean;
}

/** Latency of the definite answers (ok or fail) that completed within one time window. */
export interface LatencyWindow {
  startMs: number;
  endMs: number;
  /** Definite answers (ok + fail) completed in the window. */
  definite: number;
  ok: number;
  fail: number;
  /** Attempts that got no definite answer (and were retried). */
  unknown: number;
  p50Ms: number | null;
  p99Ms: number | null;
  /** Attempts left out because they were in flight while Restate was down or recovering (see RestateRecovery). */
  duringRecovery: number;
}

/** One period of a run (a summary window): what was answered and how fast, what struck, and the most memory held. */
export interface SoakPeriod {
  startMs: number;
  endMs: number;
  ok: number;
  fail: number;
  unknown: number;
  /** Attempts caught in a Restate outage, left out of p50 and p99. */
  duringRecovery: number;
  p50Ms: number | null;
  p99Ms: number | null;
  /** Faults struck in the period, by kind. */
  faults: Record<string, number>;
  /** Restate's ready time after each of its restarts in the period. */
  restateReadyMs: number[];
  /** The most the Worker's isolate held in the period (null when it was not read). */
  maxLiveHeapMiB: number | null;
  maxWasmMiB: number | null;
  /** The highest RSS of each host process in the period. */
  maxRssMiB: Record<string, number>;
  /** The most restate-server's RocksDB block cache held in the period (null when its metrics were not read). */
  maxBlockCacheMiB: number | null;
}

/** The least-squares memory slope of the Worker's isolate or of one host process over the judged part of the run. */
export interface MemorySlope {
  /** "worker isolate", or the host process's role ("workerd", "restate-server", ...). */
  subject: string;
  /** Whose limits judge it: the Worker's (its live heap plus wasm memory), or the host's looser ones (a process's RSS). */
  judgedAs: "worker" | "host";
  /** The figure fitted: "live heap + wasm", "RSS", or "RSS less its block cache" (restate-server, when its metrics answered). */
  measure: string;
  /** MiB per minute; null when too few samples were left to fit. */
  slopeMiBPerMin: number | null;
  /** The slope times the longest judged incarnation: the growth it showed within one life (the second half, for a process never restarted). */
  projectedGrowthMiB: number | null;
  /** Samples fitted, and the lives (pids, or Worker isolates) they came from: a killed Worker or Restate comes back as a new one. */
  samples: number;
  incarnations: number;
  firstMiB: number | null;
  lastMiB: number | null;
  /** The limits it was judged by: slope (MiB/min) and growth within one life (MiB). */
  maxSlopeMiBPerMin: number;
  minGrowthMiB: number;
  offends: boolean;
}

/** p99 of the first windows against the last ones. */
export interface LatencyDrift {
  /** How long each compared window is (30 s by default; five minutes for a run with four of those). */
  windowMs: number;
  /** Windows in each compared set, and the windows that were eligible (past warm-up, enough answers). */
  setSize: number;
  eligible: number;
  /** Median of the per-window p99s of the first and of the last set; null when there were too few windows to judge. */
  firstP99Ms: number | null;
  lastP99Ms: number | null;
  factor: number | null;
  offends: boolean;
}

/** The limits a soak is judged by. */
export interface SoakThresholds {
  /** The Worker's isolate, live heap plus wasm memory, rising faster than this (MiB per minute) over the judged span… */
  workerMaxSlopeMiBPerMin: number;
  /** …and thereby growing more than this (MiB) within its longest judged life, leaks. */
  workerMinGrowthMiB: number;
  /** A host process (workerd, restate-server, Miniflare's Node, the harness) whose RSS rises faster than this… */
  maxSlopeMiBPerMin: number;
  /** …and thereby grew more than this (MiB) within its longest judged life, grows without bound. */
  minGrowthMiB: number;
  /** Restate taking longer than this to serve again after a restart recovers too slowly. */
  maxRestateReadyMs: number;
  /** Samples this soon after the start of a process (or of the run) are left out: warm-up, not growth. */
  warmupMs: number;
  /** The last windows' p99 above this many times the first windows' p99… */
  maxP99Factor: number;
  /** …and above it by more than this (ms) is a drift. */
  minP99IncreaseMs: number;
  /** A window with fewer definite answers than this is not used for the drift. */
  minWindowAnswers: number;
}

/** What made a soak fail: a process's memory, the latency, or a checker; structured for a report to name it. */
export interface SoakOffender {
  kind: "memory" | "latency" | "recovery" | "checker";
  /** "worker isolate" or the host process's role, "p99", "restate-server", or the checker's name. */
  subject: string;
  detail: string;
  value: number | null;
  limit: number | null;
}

/** A soak's verdict: pass, fail, or unknown (a checker could not judge); every offender named. */
export interface SoakVerdict {
  status: "pass" | "fail" | "unknown";
  headline: string;
  offenders: SoakOffender[];
}

/** One checker's verdict in a soak: how many problems it found, and the first ones. */
export interface SoakChecker {
  name: string;
  valid: true | false | "unknown";
  problemCount: number;
  problems: string[];
}

/** soak.json: everything a soak measured and how it was judged. */
export interface SoakRecord {
  options: { durationMs: number; rate: number; nemesisEveryMs: number; sampleEveryMs: number; windowMs: number; seed: number };
  thresholds: SoakThresholds;
  wallMs: number;
  bookings: { launched: number; ok: number; fail: number; unknown: number; attempts: number; droppedArrivals: number };
  /** Completed nemesis ops by fault. */
  faults: Record<string, number>;
  /** Each fault as it struck: ms since the history began, the fault, how long it took. */
  faultTimes: Array<{ at: number; fault: string; tookMs: number }>;
  /** Host processes' RSS and CPU. */
  samples: ResourceSample[];
  /** The Worker's isolate, read through its inspector. */
  isolate: IsolateSample[];
  /** Latency per window, attempts in flight during Restate's recovery left out. */
  windows: LatencyWindow[];
  /** The same latencies in 5-minute windows, for a long run's summary. */
  summaryWindows: LatencyWindow[];
  /** The run per 5-minute window: answers, latency, faults, Restate's ready times, the most memory held. */
  periods: SoakPeriod[];
  /** The Worker's isolate first, then each host process. */
  slopes: MemorySlope[];
  drift: LatencyDrift;
  recovery: RestateRecovery;
  /** Each checker's verdict, its number of problems and the first 20 of them. */
  checkers: SoakChecker[];
  /** The gate folder holding the history, final state and checker results, relative to the run. */
  gateFolder: string;
  verdict: SoakVerdict;
}

/** The periods with anything answered or caught in an outage: the sliver after the last answer is left out. */
export function answeredPeriods(periods: SoakPeriod[]): SoakPeriod[] {
  return periods.filter((p) => p.ok + p.fail + p.unknown + p.duringRecovery > 0);
}

/** Counts by kind as one line, e.g. "kill-worker ×2, kill-restate ×1"; empty when there are none. */
export function countsLine(counts: Record<string, number>): string {
  return Object.entries(counts)
    .map(([kind, n]) => `${kind} ×${n}`)
    .join(", ");
}

/** MiB by process as one line, rounded, e.g. "restate-server 299, workerd 176". */
export function mibLine(mibByRole: Record<string, number>): string {
  return Object.entries(mibByRole)
    .map(([role, mib]) => `${role} ${Math.round(mib)}`)
    .join(", ");
}

/** Writes `<run>/soak.json`; returns its path. */
export async function writeSoak(runDir: string, record: SoakRecord): Promise<string> {
  const path = join(runDir, "soak.json");
  await writeFile(path, `${JSON.stringify(record, null, 2)}\n`);
  return path;
}

/** Writes the soak's page, `<run>/soak.html`; returns its path. */
export async function writeSoakHtml(runDir: string, html: string): Promise<string> {
  const path = join(runDir, "soak.html");
  await writeFile(path, html);
  return path;
}
