import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { runCheckers, type CheckResult, type Checker, type Verdict } from "../harness/checkers/checker.js";
import { EVERY_GATE } from "../harness/checkers/invariants.js";
import { parseDuration } from "../harness/duration.js";
import { readBusyInvocations, readFinalState, type FinalState } from "../harness/final-state.js";
import { History, type Op } from "../harness/history.js";
import { newSeed, Random } from "../harness/random.js";
import type { Stack, StackCapabilities, StackOptions } from "../harness/stack.js";
import { versions } from "../harness/versions.js";
import { waitFor } from "../harness/wait.js";

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
}

/** A correctness gate: a workload, and the checkers that judge its history and the final state. */
export interface Gate {
  name: string;
  /** One line: what it proves. */
  title: string;
  /**
   * What the gate must be able to do to the system: kill Restate, or run the Worker itself and read its charges in
   * the ledger. A stack that cannot (a remote environment, a deployed Worker) skips the gate with the reason.
   */
  needs?: Array<keyof StackCapabilities>;
  /** What the gate needs of its stack beyond the defaults (a short hold TTL, crash points, Restate settings). */
  stack?: Pick<StackOptions, "workerEnv" | "restateEnv" | "crashPoints">;
  /** Checkers that judge every run of this gate (besides EVERY_GATE's, which judge every gate); they read all they need from the history and the final state. */
  checkers: Checker[];
  /** Runs the workload, recording every operation (and what it expects) in the history. */
  run(context: GateContext): Promise<void>;
}

/** What a stored run says about itself (spec.json). */
export interface GateSpec {
  gate: string;
  title: string;
  seed: number;
  prefix: string;
  runtime: string;
  versions: Record<string, string>;
  workerEnv: Record<string, string>;
  restateEnv: Record<string, string>;
  startedAt: string;
}

/** A gate's result: the merged verdict, each checker's result, and what they judged. */
export interface GateOutcome {
  gate: string;
  title: string;
  seed: number;
  valid: Verdict;
  results: CheckResult[];
  history: Op[];
  finalState: FinalState;
  durationMs: number;
  dir: string;
}

/** The stack options a gate needs, with `restateEnv` added (e.g. the always-replay setting). */
export function stackOptionsFor(gate: Gate, restateEnv: Record<string, string> = {}): Pick<StackOptions, "workerEnv" | "restateEnv" | "crashPoints"> {
  return { ...gate.stack, restateEnv: { ...gate.stack?.restateEnv, ...restateEnv } };
}

const CAPABILITY_REASONS: Record<keyof StackCapabilities, string> = {
  restateFaults: "it kills and restarts Restate, which a remote environment does not let the harness do",
  restateSettings: "it gives Restate its request-signing key, which a remote environment keeps to itself",
  workerControl: "it needs the harness's own Worker (crash points, settings, charges in the gateway stand-in's ledger), not a deployed one",
  workerReachable: "it calls the Worker's own routes, and the harness was not given the deployed Worker's URL (--worker-url)",
};

/** Why `gate` cannot run on a stack with `capabilities` (one line), or undefined when it can. */
export function cannotRunBecause(gate: Gate, capabilities: StackCapabilities): string | undefined {
  const missing = (gate.needs ?? []).find((need) => !capabilities[need]);
  return missing === undefined ? undefined : CAPABILITY_REASONS[missing];
}

/** Judges a gate's history and final state: the checkers of every gate, then the gate's own. Pure. */
export function checkGate(gate: Gate, history: Op[], state: FinalState): { valid: Verdict; results: CheckResult[] } {
  return runCheckers([...EVERY_GATE, ...gate.checkers.filter((c) => !EVERY_GATE.includes(c))], history, state);
}

/** Waits until Restate has no busy invocation, or `timeoutMs` passed (liveness then reports what is still busy). */
export async function waitQuiet(adminUrl: string, timeoutMs = 30_000): Promise<void> {
  await waitFor(async () => (await readBusyInvocations(adminUrl)).length === 0, { timeoutMs, intervalMs: 100, what: "Restate to go quiet" }).catch(
    () => undefined,
  );
}

/** Runs one gate on a running stack (one gate per stack); stores spec, history, final state and results in the stack's run dir. */
export async function runGate(
  gate: Gate,
  stack: Stack,
  options: { seed?: number; log?: (message: string) => void; search?: Partial<SearchOptions> } = {},
): Promise<GateOutcome> {
  const started = Date.now();
  const seed = options.seed ?? newSeed();
  const random = new Random(seed);
  const history = new History();
  const prefix = `${gate.name}-${seed.toString(36)}-`;
  const dir = stack.runDir;
  const spec: GateSpec = {
    gate: gate.name,
    title: gate.title,
    seed,
    prefix,
    runtime: stack.restate.runtime,
    versions: versions(stack.restate.version),
    workerEnv: { ...stack.workerEnv },
    restateEnv: { ...stack.restateEnv },
    startedAt: new Date(started).toISOString(),
  };
  await writeFile(join(dir, "spec.json"), JSON.stringify(spec, null, 2));
  const holdTtlMs = Number(stack.workerEnv.HOLD_TTL_MS);
  if (Number.isFinite(holdTtlMs)) history.expect("worker-settings", { holdTtlMs });
  await gate.run({ stack, history, prefix, random, log: options.log ?? (() => undefined), search: { ...defaultSearch(), ...options.search } });
  await waitQuiet(stack.restate.adminUrl);
  await stack.gateway.whenIdle();
  // One gate per stack: the whole ledger is this run's, and every entry must be claimed by one of its bookings.
  const finalState = await readFinalState(stack.restate.adminUrl, stack.gateway.entries(), prefix);
  const { valid, results } = checkGate(gate, history.ops, finalState);
  await writeFile(join(dir, "history.jsonl"), history.toJsonl());
  await writeFile(join(dir, "final-state.json"), JSON.stringify(finalState, null, 2));
  await writeFile(join(dir, "results.json"), JSON.stringify({ gate: gate.name, seed, valid, results }, null, 2));
  await writeFile(join(dir, "gateway-ledger.jsonl"), stack.gateway.entries().map((e) => JSON.stringify(e)).join("\n") + "\n");
  return { gate: gate.name, title: gate.title, seed, valid, results, history: history.ops, finalState, durationMs: Date.now() - started, dir };
}
