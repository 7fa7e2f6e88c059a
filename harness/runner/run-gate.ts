import { readFinalState, waitQuiet } from "../restate/state-reads.js";
import { History } from "../history/history.js";
import { newSeed, Random } from "../system/random.js";
import { startStack, type Stack, type StackOptions } from "../stack/stack.js";
import { writeGateRun, writeGateSpec } from "../store/run-store.js";
import { versions } from "../restate/versions.js";
import type { JudgedWorker } from "../worker/worker-under-test.js";
import { observationsHold } from "../checkers/expectations.js";
import { checkGate, checkersOf, defaultSearch, stackOptionsFor, WorkloadStopped, type Gate, type GateOutcome, type SearchOptions } from "./gate.js";

/** How one gate run goes: its seed, progress, and the search budget of a searching gate. */
export interface GateRunOptions {
  seed?: number;
  log?: (message: string) => void;
  search?: Partial<SearchOptions>;
  /** Where the Worker under test's description was read from (stored in spec.json). */
  descriptionPath?: string;
  /**
   * Stop the workload at its first failed observation and judge what it recorded (a mutant run needs only the
   * failure); only for a gate the observations checker judges, so stopping never turns a failure into a pass.
   */
  bail?: boolean;
}

/** Runs one gate on a running stack (one gate per stack); stores spec, history, final state and results in the stack's run dir. */
export async function runGate(gate: Gate, stack: Stack, options: GateRunOptions = {}): Promise<GateOutcome> {
  const started = Date.now();
  const seed = options.seed ?? newSeed();
  const random = new Random(seed);
  const history = new History();
  const prefix = `${gate.name}-${seed.toString(36)}-`;
  const dir = stack.runDir;
  const worker = stack.description;
  await writeGateSpec(dir, {
    gate: gate.name,
    title: gate.title,
    seed,
    prefix,
    runtime: stack.restate.runtime,
    worker: { name: worker.name, description: options.descriptionPath ?? "(given to the stack)", capabilities: worker.capabilities },
    versions: versions(stack.restate.version),
    workerEnv: { ...stack.workerEnv },
    restateEnv: { ...stack.restateEnv },
    startedAt: new Date(started).toISOString(),
  });
  const holdTtlMs = Number(stack.workerEnv.HOLD_TTL_MS);
  if (Number.isFinite(holdTtlMs)) history.expect("worker-settings", { holdTtlMs });
  const log = options.log ?? (() => undefined);
  const bail = options.bail === true && checkersOf(gate, worker.capabilities).checkers.includes(observationsHold);
  const context = { stack, history, prefix, random, log, search: { ...defaultSearch(), ...options.search }, bail };
  try {
    await gate.run(context);
  } catch (error) {
    if (!(error instanceof WorkloadStopped)) throw error;
    log(error.message);
    // Charges the workload held at the gateway would otherwise wait for a release that never comes.
    stack.gateway.releaseHolds();
  }
  await waitQuiet(stack.restate.adminUrl);
  await gate.observeQuiet?.(context);
  await stack.gateway.whenIdle();
  // One gate per stack: the whole ledger is this run's, and every entry must be claimed by one of its bookings.
  const ledger = stack.gateway.entries();
  const finalState = await readFinalState(stack.restate.adminUrl, worker, ledger, prefix);
  const { valid, results, skippedCheckers } = checkGate(gate, history.ops, finalState, worker.capabilities);
  await writeGateRun(dir, { history: history.ops, finalState, results: { gate: gate.name, seed, valid, results, skippedCheckers }, ledger });
  return { gate: gate.name, title: gate.title, seed, valid, results, skippedCheckers, history: history.ops, finalState, durationMs: Date.now() - started, dir };
}

/** Where and how a fresh stack for one gate is started. */
export interface FreshStackOptions extends Pick<StackOptions, "runtimeName" | "remote"> {
  /** The gate's folder (logs, data, results). */
  dir: string;
  /** The Worker under test: bundled, unless the target calls a deployed Worker the harness does not run. */
  worker: JudgedWorker;
  /** Restate settings on top of the gate's own (e.g. always replay). */
  restateEnv?: Record<string, string>;
  /** Worker bindings under the gate's own (e.g. a test Worker's defect switch). */
  workerEnv?: Record<string, string>;
}

/** Starts a fresh stack for `gate`, runs it there, stores its results, and stops the stack, also when the run throws. */
export async function runGateOnFreshStack(gate: Gate, stackOptions: FreshStackOptions, options: GateRunOptions = {}): Promise<GateOutcome> {
  const stack = await startStack({
    runDir: stackOptions.dir,
    worker: stackOptions.worker,
    runtimeName: stackOptions.runtimeName,
    remote: stackOptions.remote,
    ...stackOptionsFor(gate, stackOptions.restateEnv, stackOptions.workerEnv),
  });
  try {
    return await runGate(gate, stack, { descriptionPath: stackOptions.worker.descriptionPath, ...options });
  } finally {
    await stack.stop();
  }
}
