import { REFERENCE_DESIGNS } from "../../designs/index.js";
import { exitCodeOf } from "../../harness/system/errors.js";
import { newRunDir } from "../../harness/system/paths.js";
import { runGates } from "../../harness/runner/run-gates.js";
import type { MutantRecord } from "../../harness/store/records.js";
import type { WorkerBundle } from "../../harness/worker/bundle.js";
import { selectGates } from "../index.js";
import { buildMutant } from "./build-mutant.js";
import type { Mutant } from "./catalogue.js";

/** How a mutant is run: its bundle (built already, e.g. while the previous mutant ran), and whether every gate runs. */
export interface MutantRunOptions {
  bundle?: Promise<WorkerBundle>;
  /** Run every gate listed for the mutant (default: stop at the first that kills it, in the catalogue's order). */
  everyGate?: boolean;
  log?: (message: string) => void;
}

/**
 * Builds one mutant and runs its gates against it through the gate runner, each on a fresh stack, without shrinking
 * (the first failure is enough), in the order the catalogue lists them. A mutant is killed when at least one gate
 * judged the run invalid (unknown does not count); a failure to build, start or run is the outcome's `error` (with
 * the gates judged before it), so one broken run does not hide the rest.
 */
export async function runMutant(mutant: Mutant, options: MutantRunOptions = {}): Promise<MutantRecord> {
  const log = options.log ?? (() => undefined);
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
    const bundle = await (options.bundle ?? buildMutant(mutant));
    const { outcomes, skipped } = await runGates(
      mutant.gates.flatMap((name) => selectGates([name])),
      {
        runDir: newRunDir(`mutant-${mutant.name}`),
        runtimeName: mutant.runtime,
        worker: { bundle, description: REFERENCE_DESIGNS[mutant.design].description, descriptionPath: REFERENCE_DESIGNS[mutant.design].path },
        search: { shrink: false },
        until: (result) => !options.everyGate && result.valid === false,
        onEvent: (event) => {
          if (event.kind === "log") log(`  ${event.gate}: ${event.message}`);
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
      },
    );
    // None of its gates can run here (e.g. the partition gate without network namespaces): the mutant is not judged.
    if (outcomes.length === 0 && skipped.length > 0) return { ...outcome(), skipped: skipped.map((s) => `${s.gate}: ${s.reason}`).join("; ") };
  } catch (error) {
    return outcome({ message: error instanceof Error ? error.message : String(error), exitCode: exitCodeOf(error) });
  }
  return outcome();
}
