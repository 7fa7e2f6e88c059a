import type { CheckResult, Verdict } from "../checkers/checker.js";
import type { WorkerCapabilities } from "../worker/worker-description.js";

// The records a run folder holds are built of these: what checkers found, what the history and the ledger recorded.
export type { CheckResult, Offenders, Verdict } from "../checkers/checker.js";
export type { LedgerEntry } from "../gateway/ledger.js";
export type { Op } from "../history/history.js";

/** What a stored gate run says about itself (spec.json). */
export interface GateSpec {
  gate: string;
  title: string;
  seed: number;
  prefix: string;
  runtime: string;
  /** The Worker under test: its description's name, file and capabilities (absent in runs stored before they were recorded). */
  worker?: { name: string; description: string; capabilities: WorkerCapabilities };
  versions: Record<string, string>;
  workerEnv: Record<string, string>;
  restateEnv: Record<string, string>;
  startedAt: string;
}

/** A checker a gate left out, and why (the Worker lacks what it needs). */
export interface SkippedChecker {
  name: string;
  reason: string;
}

/** A gate run's verdict and each checker's result (results.json). */
export interface GateResults {
  gate: string;
  seed: number;
  valid: Verdict;
  results: CheckResult[];
  skippedCheckers: SkippedChecker[];
}

/** A gate the target or the Worker could not run, and why. */
export interface SkippedGate {
  gate: string;
  reason: string;
}

/** How the benchmark of a `nexus run` ended: skipped (and why), or how many cells failed their audit or measured nothing trustworthy. */
export interface BenchSummary {
  skipped: string | null;
  auditFailed: number;
  /** Cells whose figures cannot be trusted (dropped iterations) though their audit held: reported, never a failure. */
  unmeasured: number;
}

/** A `nexus run` as a whole (summary.json). */
export interface RunSummary {
  seed: number | null;
  passed: number;
  failed: number;
  skipped: SkippedGate[];
  bench: BenchSummary;
  target: "embedded" | { ingress: string; admin: string; worker: string | null };
  /** The Worker under test's description name. */
  worker: string;
  durationMs: number;
  cores: number;
  gates: Array<{ gate: string; valid: Verdict; durationMs: number; dir: string }>;
}

/** One benchmark cell: a design, a workload, its size, and the gateway's latency. */
export interface StoredCell {
  design: string;
  workload: "hot-seat" | "matrix" | "open" | "trivial";
  /** Virtual users (closed model). */
  users: number;
  seats: number;
  /** Arrivals per second (open model). */
  rate?: number;
  durationS: number;
  /** Hot seat: rounds, each a fresh seat every user tries once. */
  rounds?: number;
  /** Latency of the payment gateway stand-in: "fast" (none) measures the engine, "original" is the proof of concept's 500 ms, "slow" 5 s. */
  gateway: "fast" | "original" | "slow";
}

/** A cell's short name, as the progress table prints it and `--only` matches it: "matrix u50 s1000 fast". */
export function cellLabel(cell: StoredCell): string {
  return `${cell.workload} u${cell.users} s${cell.seats}${cell.rate ? ` r${cell.rate}` : ""} ${cell.gateway}`;
}

/** What a cell measured (bench.json stores it beside the cell). */
export interface CellMeasurement {
  requests: number;
  confirmed: number;
  conflicts: number;
  declines: number;
  errors: number;
  requestsPerS: number;
  confirmedPerS: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  /** p50 and p99 of the checkouts that confirmed (200), apart from declines and gateway failures, whose bounded retries take longer. */
  p50ConfirmedMs: number;
  p99ConfirmedMs: number;
  /** p50 and p99 of the checkouts refused because the seat was taken (409): on the hot seat, how long the losers wait. */
  p50RefusedMs: number;
  p99RefusedMs: number;
  maxMs: number;
  droppedIterations: number;
  /** Restate invocations (sys_invocation) per confirmed checkout. */
  invocationsPerConfirmed: number | null;
  /** Worker HTTP requests (the requests Restate sent, by its metrics) per confirmed checkout. */
  workerRequestsPerConfirmed: number | null;
  /** workerd's CPU milliseconds per confirmed checkout (its CPU share over the measured window). */
  workerCpuMsPerConfirmed: number | null;
  /** Share of one core used during the cell, by program. */
  cpu: Record<string, number>;
  elapsedS: number;
  audit: { valid: boolean; problems: string[] };
  /** False when the cell's figures cannot be trusted: the audit failed, or an open-model cell dropped iterations. */
  valid: boolean;
  /** Where a Worker request's CPU went, when the cell was profiled (`nexus bench --profile`). */
  profile?: CellProfile;
}

/** Where the Worker's CPU went in one profile: per part (a package, the Worker's own code, wasm, V8's own work) and per function. */
export interface ProfileSummary {
  /** The recording's length, by its samples. */
  sampledMs: number;
  /** Of it, the time the isolate was not idle. */
  busyMs: number;
  /** Self time per part, largest first, idle and parts under 0.05 ms left out. */
  parts: Array<{ part: string; ms: number }>;
  /** The functions with the most self time, largest first. */
  topFunctions: Array<{ name: string; part: string; selfMs: number }>;
  /** Named steps of a request (the request signature's check) with everything they call, wasm included. */
  steps: Array<{ step: string; ms: number }>;
}

/** A profiled cell: its CPU profile, and the CPU-ms each program spent per Worker request. */
export interface CellProfile {
  /** The profile (Chrome DevTools' .cpuprofile format), beside the cell's other files. */
  file: string;
  /** Worker requests served while it recorded (Restate's metrics). */
  workerRequests: number;
  /** CPU-ms per Worker request: the Worker's isolate (the profile's busy time), and each program by its CPU share. */
  cpuMsPerWorkerRequest: Record<string, number>;
  /** The isolate's time by part and function, in ms over the whole recording. */
  isolate: ProfileSummary;
}

/** A measured cell, as bench.json stores it, with what 1,000 confirmed bookings cost on Cloudflare Workers at the run's prices (USD). */
export type CellRecord = StoredCell & CellMeasurement & { usdPer1000Confirmed?: number | null };

/** A design against the baseline on one workload: ratios of confirmed/s, p50 and p99 (design / baseline). */
export interface DesignComparison {
  design: string;
  cell: string;
  confirmedPerS: number | null;
  p50: number | null;
  p99: number | null;
}

/** A benchmark run (bench.json). */
export interface BenchRecord {
  size: string;
  seed: number;
  versions: Record<string, string>;
  cores: number;
  /** How many Locust worker processes split each cell; absent when one process ran each cell. */
  instances?: number;
  cells: CellRecord[];
  comparisons: DesignComparison[];
  goals: Record<string, { value: number | null; target: string; met: boolean | null }>;
  /** The Cloudflare Workers prices the cells' costs use (USD per million requests and per million CPU ms, and their source). */
  prices?: { perMillionRequests: number; perMillionCpuMs: number; source: string };
  /** Restate server settings given on top of the defaults (`--restate-env`); absent when the run used the defaults. */
  restateEnv?: Record<string, string>;
}

/** Latency figures of one workload: how many calls, how many failed, and percentiles in ms. */
export interface LatencyStats {
  count: number;
  errors: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

/** One side of `nexus compare`: what it measured, per workload. */
export interface CompareSide {
  label: string;
  /** The ingress measured (a URL; never the token). */
  ingress: string;
  stats: Record<string, LatencyStats>;
}

/** Both sides and remote minus local, per workload and statistic. */
export interface Comparison {
  local: CompareSide;
  remote: CompareSide;
  difference: Record<string, { p50: number; p90: number; p99: number; max: number }>;
}

/** A `nexus compare` (compare.json). */
export interface CompareRecord extends Comparison {
  workerUrl: string;
  size: Record<string, number>;
  /** The local stack's versions, and the remote Restate's. */
  versions: { local: Record<string, string>; remote: string };
}

/**
 * A mutant's fate (mutants.json holds one per mutant): killed when at least one of its gates judged the run invalid
 * (unknown does not count); `error` when its stack or a gate could not run at all.
 */
export interface MutantRecord {
  mutant: string;
  bug: string;
  killed: boolean;
  error?: { message: string; exitCode: number };
  /** Why none of its gates could run here (the mutant was not judged). */
  skipped?: string;
  /** Each gate's verdict, the checkers that failed, and for a searching gate how much it searched. */
  gates: Array<{ gate: string; valid: Verdict; failed: string[]; searched?: { runs: number; checkouts: number; elapsedMs: number } }>;
  durationMs: number;
  /** The first try's gates and error, when that try did not kill the mutant and these figures are of a second one. */
  firstTry?: Pick<MutantRecord, "gates" | "error" | "durationMs">;
}

/** What one deploy procedure did to the bookings in flight, counted from its gate run. */
export interface DeployOutcome {
  procedure: string;
  valid: Verdict;
  /** The checkers that failed. */
  failed: string[];
  /** The run's folder (spec, history, final state, results). */
  dir: string;
  /** What was in flight, by Restate's status, as the new version went in. */
  inFlight: Record<string, number>;
  journalMismatches: number;
  /** Invocations that ran on both versions (a step replaced the code behind their deployment's URL mid-way). */
  mixedVersions: number;
  paused: number;
  unanswered: number;
  /** Bookings whose money is wrong (charged without a sale, or twice) and seats whose end is wrong (unsold, sold twice). */
  moneyErrors: number;
  seatErrors: number;
  /** How long the old version took to drain from the cut-over (a procedure that drains it), else null. */
  drainMs: number | null;
}

/** A `nexus deploy-check` (deploy-check.json): the two versions, and each procedure's outcome. */
export interface DeployCheckRecord {
  from: string;
  to: string;
  seed: number;
  /** The versioned procedure kept every invariant. */
  versionedSafe: boolean;
  /** An in-place deploy of this change harmed no booking in flight (its invocations may still have run on both versions). */
  inPlaceSafe: boolean;
  outcomes: DeployOutcome[];
}

/** A `nexus upgrade-check` (upgrade-check.json): Restate upgraded in place under the Worker with bookings in flight. */
export interface UpgradeCheckRecord {
  from: string;
  to: string;
  seed: number;
  /** How long Restate answered nothing, from the old release's stop to the next one's readiness. */
  downMs: number | null;
  /** The old release stopped by itself within its grace (not killed). */
  graceful: boolean | null;
  /** What the next release's log called deprecated in the settings the old one ran with. */
  deprecations: string[];
  outcome: DeployOutcome;
}
