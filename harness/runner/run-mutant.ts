import { exitCodeOf } from "../system/errors.js";
import { newRunDir } from "../store/run-dirs.js";
import type { MutantRecord } from "../store/records.js";
import type { WorkerBundle } from "../worker/bundle.js";
import type { JudgedWorker } from "../worker/worker-under-test.js";
import type { Gate } from "./gate.js";
import { runGates } from "./run-gates.js";

/** What the runner needs of a mutant: its name, the bug it puts back, and the Restate runtime its gates need. */
export interface MutantUnderTest {
  name: string;
  bug: string;
  runtime?: string;
}

/** How a mutant is run: its gates in the order to try them, its Worker (bundle, perhaps still building), every gate or not. */
export interface MutantRunOptions {
  gates: Gate[];
  /** The mutant's bundle (built already, e.g. while the previous mutant ran) and the description of the design it breaks. */
  worker: Omit<JudgedWorker, "bundle"> & { bundle: Promise<WorkerBundle> };
  /** Run every gate (default: stop at the first that kills it). */
  everyGate?: boolean;
}

/**
 * Runs a mutant's gates against its Worker through the gate runner, each on a fresh stack, in the order given, without
 * shrinking and stopping a workload at its first failed observation (the first failure is enough). A mutant is killed
 * when at least one gate judged the run invalid (unknown does not count); a failure to build, start or run is the
 * outcome's `error` (with the gates judged before it), so one broken run does not hide the rest.
 */
export async function runMutant(mutant: MutantUnderTest, options: MutantRunOptions): Promise<MutantRecord> {
  const started = Date.now();
  const gates: MutantRecord["gates"] = [];
  const outcome = (error?: MutantRecord["error"]): MutantRecord => ({
    mutant: mutant.name,
    bug: mutant.bug,
    killed: gates.some((g) => g.valid === false),
    ...(error === undefined ? {} : { error }),
    gates,
    durationMs: Date.now() - started,
  });
  try {
    const worker = { ...options.worker, bundle: await options.worker.bundle };
    const { outcomes, skipped } = await runGates(options.gates, {
      runDir: newRunDir(`mutant-${mutant.name}`),
      runtimeName: mutant.runtime,
      worker,
      search: { shrink: false },
      bail: true,
      until: (result) => !options.everyGate && result.valid === false,
      onEvent: (event) => {
        if (event.kind !== "finished") return;
        const result = event.outcome;
        const searched = result.history.find((op) => op.f === "model-search" && op.type === "ok")?.value as
          | { runs: number; checkouts: number; elapsedMs: number }
          | undefined;
        const failed = result.results.filter((r) => r.valid !== true).map((r) => r.name);
        gates.push({
          gate: result.gate,
          valid: result.valid,
          failed,
          ...(searched ? { searched: { runs: searched.runs, checkouts: searched.checkouts, elapsedMs: searched.elapsedMs } } : {}),
        });
      },
    });
    // None of its gates can run here (e.g. the partition gate without network namespaces): the mutant is not judged.
    if (outcomes.length === 0 && skipped.length > 0) return { ...outcome(), skipped: skipped.map((s) => `${s.gate}: ${s.reason}`).join("; ") };
  } catch (error) {
    return outcome({ message: error instanceof Error ? error.message : String(error), exitCode: exitCodeOf(error) });
  }
  return outcome();
}
