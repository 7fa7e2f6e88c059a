import { join } from "node:path";
import { capabilitiesOf, type RemoteStackTarget } from "../stack/stack.js";
import type { SkippedGate } from "../store/records.js";
import type { JudgedWorker } from "../worker/worker-under-test.js";
import { cannotRunBecause, type Gate, type GateOutcome, type SearchOptions } from "./gate.js";
import { runGateOnFreshStack } from "./run-gate.js";

/** What the runner tells its caller as it goes: a gate skipped, started, logging, or finished. */
export type RunnerEvent =
  | { kind: "skipped"; gate: string; index: number; total: number; reason: string }
  | { kind: "started"; gate: string; index: number; total: number }
  | { kind: "log"; gate: string; index: number; total: number; message: string }
  | { kind: "finished"; gate: string; index: number; total: number; outcome: GateOutcome };

/** Where and how a list of gates runs. */
export interface GatesRunOptions {
  /** The run's folder: each gate gets `<runDir>/<gate>`. */
  runDir: string;
  /** The Worker under test as the caller resolved it: bundled, unless the target calls a deployed Worker the harness does not run. */
  worker: JudgedWorker;
  runtimeName?: string;
  remote?: RemoteStackTarget;
  restateEnv?: Record<string, string>;
  /** Worker bindings for every gate's stack, under each gate's own. */
  workerEnv?: Record<string, string>;
  seed?: number;
  search?: Partial<SearchOptions>;
  onEvent?: (event: RunnerEvent) => void;
  /** Stop each gate's workload at its first failed observation (see GateRunOptions.bail). */
  bail?: boolean;
  /** Stop after the first outcome this is true of (the gates after it do not run). */
  until?: (outcome: GateOutcome) => boolean;
}

/**
 * Runs `gates` one after another, each on a fresh stack in its own folder; a gate the target or the Worker cannot run
 * is skipped with the reason. Returns the outcomes and the skipped gates; an error that stops a gate from running at
 * all (a stack that cannot start) is thrown after that gate's stack is stopped.
 */
export async function runGates(gates: Gate[], options: GatesRunOptions): Promise<{ outcomes: GateOutcome[]; skipped: SkippedGate[] }> {
  const emit = options.onEvent ?? (() => undefined);
  const stackCapabilities = capabilitiesOf({ remote: options.remote, runtimeName: options.runtimeName });
  const workerCapabilities = options.worker.description.capabilities;
  const outcomes: GateOutcome[] = [];
  const skipped: SkippedGate[] = [];
  const total = gates.length;
  for (const [index, gate] of gates.entries()) {
    const at = { gate: gate.name, index, total };
    const reason = cannotRunBecause(gate, stackCapabilities, workerCapabilities);
    if (reason !== undefined) {
      skipped.push({ gate: gate.name, reason });
      emit({ kind: "skipped", ...at, reason });
      continue;
    }
    emit({ kind: "started", ...at });
    const outcome = await runGateOnFreshStack(
      gate,
      {
        dir: join(options.runDir, gate.name),
        worker: options.worker,
        runtimeName: options.runtimeName,
        remote: options.remote,
        restateEnv: options.restateEnv,
        workerEnv: options.workerEnv,
      },
      { seed: options.seed, search: options.search, bail: options.bail, log: (message) => emit({ kind: "log", ...at, message }) },
    );
    outcomes.push(outcome);
    emit({ kind: "finished", ...at, outcome });
    if (options.until?.(outcome)) break;
  }
  return { outcomes, skipped };
}
