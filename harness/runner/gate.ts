import { runCheckers, type CheckResult, type Checker, type Verdict } from "../checkers/checker.js";
import { EVERY_GATE } from "../checkers/invariants.js";
import { netnsMissing } from "../netns/mesh.js";
import { parseDuration } from "../system/duration.js";
import type { FinalState } from "../history/final-state.js";
import type { History, Op } from "../history/history.js";
import type { Random } from "../system/random.js";
import type { Stack, StackCapabilities, StackOptions } from "../stack/stack.js";
import type { SkippedChecker } from "../store/records.js";
import type { WorkerCapabilities } from "../worker/worker-description.js";

/** How long a searching gate (booking-model) looks for a failing history, and how it treats one it finds. */
export interface SearchOptions {
  /** Time to look for a failing history. */
  budgetMs: number;
  /** Shrink a failing history to a short one (false: stop at the first failure, as the mutant runner does). */
  shrink: boolean;
  /** Time allowed for shrinking once a failure is found. */
  shrinkMs: number;
}

/** The default search: NEXUS_MODEL_BUDGET (e.g. "10m") or 60 s, shrinking for up to 2 minutes. */
export function defaultSearch(): SearchOptions {
  const budget = process.env.NEXUS_MODEL_BUDGET;
  return { budgetMs: budget ? parseDuration(budget, "NEXUS_MODEL_BUDGET") : 60_000, shrink: true, shrinkMs: 120_000 };
}

/** What a gate's workload gets: the stack, the history to record into, a seat-id prefix unique to this run. */
export interface GateContext {
  stack: Stack;
  history: History;
  /** Prefix every seat id with this: gates never see each other's seats. */
  prefix: string;
  /** The run's seeded randomness: every random choice comes from here, so `--seed` replays the schedule. */
  random: Random;
  /** Progress for the person watching. */
  log: (message: string) => void;
  /** For gates that search for a failing history: their budget. */
  search: SearchOptions;
  /** Stop the workload at its first failed observation (`observeSeat` throws WorkloadStopped): the gate has failed already. */
  bail: boolean;
}

/** Thrown by the workload when `bail` is set and an observation failed; the runner judges what was recorded up to it. */
export class WorkloadStopped extends Error {
  constructor(readonly observation: string) {
    super(`the workload stopped at its first failed observation (${observation})`);
  }
}

/** What a gate can need: of the stack (kill Restate, run the Worker itself) or of the Worker under test (crash points, the demo API). */
export type GateNeed = keyof StackCapabilities | keyof WorkerCapabilities;

/** The stack options a gate may set for itself. */
export type GateStackOptions = Pick<StackOptions, "workerEnv" | "restateEnv" | "crashPoints" | "isolatedNodes" | "inspectWorker" | "restateRelease">;

/** A correctness gate: a workload, and the checkers that judge its history and the final state. */
export interface Gate {
  name: string;
  /** One line: what it proves. */
  title: string;
  /** What the gate must be able to do to the system or find in the Worker; a target without it skips the gate with the reason. */
  needs?: GateNeed[];
  /** What the gate needs of its stack beyond the defaults (a short hold TTL, crash points, Restate settings). */
  stack?: GateStackOptions;
  /** Checkers that judge every run of this gate (besides EVERY_GATE's, which judge every gate); they read all they need from the history and the final state. */
  checkers: Checker[];
  /** Runs the workload, recording every operation (and what it expects) in the history. */
  run(context: GateContext): Promise<void>;
  /** Records what the gate reads of Restate once it is quiet, before the final state (e.g. where each invocation ran). */
  observeQuiet?(context: GateContext): Promise<void>;
}

/** A gate's result: the merged verdict, each checker's result, and what they judged. */
export interface GateOutcome {
  gate: string;
  title: string;
  seed: number;
  valid: Verdict;
  results: CheckResult[];
  /** Checkers left out because the Worker lacks what they need. */
  skippedCheckers: SkippedChecker[];
  history: Op[];
  finalState: FinalState;
  durationMs: number;
  dir: string;
}

/**
 * The stack options a gate needs, with `restateEnv` added (e.g. the always-replay setting) and `workerEnv` under the
 * gate's own Worker settings (a run's extra Worker bindings never override what the gate needs, such as a short hold).
 */
export function stackOptionsFor(gate: Gate, restateEnv: Record<string, string> = {}, workerEnv: Record<string, string> = {}): GateStackOptions {
  return { ...gate.stack, workerEnv: { ...workerEnv, ...gate.stack?.workerEnv }, restateEnv: { ...gate.stack?.restateEnv, ...restateEnv } };
}

const NEED_REASONS: Record<GateNeed, string> = {
  restateFaults: "it kills and restarts Restate, which a remote environment does not let the harness do",
  restateSettings: "it gives Restate its request-signing key, which a remote environment keeps to itself",
  networkFaults: "it cuts the links between Restate nodes: run it on the cluster runtime (--runtime cluster)",
  restateUpgrade: "it starts Restate as an older release and upgrades it in place, which the harness does on the binary runtime only (--runtime binary)",
  workerControl: "it needs the harness's own Worker (crash points, settings, charges in the gateway stand-in's ledger), not a deployed one",
  workerReachable: "it calls the Worker's own routes, and the harness was not given the deployed Worker's URL (--worker-url)",
  crashPoints: "the Worker under test has no crash points (its description says crashPoints: false)",
  demoApi: "the Worker under test has no demo API (Ticket, SeatMap and GameManager handlers; demoApi: false)",
  seatMapView: "the Worker under test has no SeatMap view (seatMapView: false)",
  mockPaymentRoute: "the Worker under test has no /api/mock-payment route (mockPaymentRoute: false)",
  requestSigning: "the Worker under test does not check Restate's request signatures (requestSigning: false)",
  expiringHolds: "the Worker under test holds no seat on a timer while it charges, so no hold can expire mid-payment (expiringHolds: false)",
};

/** Why links cannot be cut here: the one thing missing (root, `ip` or `nft`) and how to get it, else the runtime to use. */
function networkFaultsMissing(): string {
  const missing = netnsMissing();
  return missing === undefined ? NEED_REASONS.networkFaults : `it cuts the links between Restate nodes (on the cluster runtime, --runtime cluster): ${missing}`;
}

/** Why `gate` cannot run on a stack with `stack` capabilities and a Worker with `worker` ones (one line), or undefined when it can. */
export function cannotRunBecause(gate: Gate, stack: StackCapabilities, worker: WorkerCapabilities): string | undefined {
  const has = { ...stack, ...worker };
  const missing = (gate.needs ?? []).find((need) => !has[need]);
  if (missing === "networkFaults") return networkFaultsMissing();
  return missing === undefined ? undefined : NEED_REASONS[missing];
}

/** The checkers that judge `gate` (every gate's, then its own), and those left out because the Worker lacks what they need. */
export function checkersOf(gate: Gate, worker: WorkerCapabilities): { checkers: Checker[]; skipped: SkippedChecker[] } {
  const all = [...EVERY_GATE, ...gate.checkers.filter((c) => !EVERY_GATE.includes(c))];
  const lacking = (checker: Checker) => (checker.needs ?? []).find((need) => !worker[need]);
  return {
    checkers: all.filter((c) => lacking(c) === undefined),
    skipped: all.flatMap((c) => {
      const need = lacking(c);
      return need === undefined ? [] : [{ name: c.name, reason: NEED_REASONS[need] }];
    }),
  };
}

/** Judges a gate's history and final state with the checkers that apply to a Worker with `worker` capabilities. Pure. */
export function checkGate(
  gate: Gate,
  history: Op[],
  state: FinalState,
  worker: WorkerCapabilities,
): { valid: Verdict; results: CheckResult[]; skippedCheckers: SkippedChecker[] } {
  const { checkers, skipped } = checkersOf(gate, worker);
  return { ...runCheckers(checkers, history, state), skippedCheckers: skipped };
}
