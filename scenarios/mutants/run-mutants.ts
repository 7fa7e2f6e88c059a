import reference from "../../nexus-worker.js";
import { exitCodeOf } from "../../harness/errors.js";
import { newRunDir } from "../../harness/paths.js";
import { runGates } from "../../harness/runner/run-gates.js";
import type { MutantRecord } from "../../harness/store/records.js";
import { selectGates } from "../index.js";
import { buildMutant } from "./build-mutant.js";
import type { Mutant } from "./catalogue.js";

/**
 * Builds one mutant and runs its gates against it through the gate runner, each on a fresh stack, without shrinking
 * (the first failure is enough). A mutant is killed when at least one gate judged the run invalid (unknown does not
 * count); a failure to build, start or run is the outcome's `error` (with the gates judged before it), so one broken
 * run does not hide the rest.
 */
export async function runMutant(mutant: Mutant, log: (message: string) => void = () => undefined): Promise<MutantRecord> {
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
    const bundle = await buildMutant(mutant);
    await runGates(selectGates(mutant.gates), {
      runDir: newRunDir(`mutant-${mutant.name}`),
      worker: { bundle, description: reference, descriptionPath: "nexus-worker.ts" },
      search: { shrink: false },
      onEvent: (event) => {
        if (event.kind === "log") log(`  ${event.gate}: ${event.message}`);
        if (event.kind !== "finished") return;
        const result = event.outcome;
        const searched = result.history.find((op) => op.f === "model-search" && op.type === "ok")?.value as { runs: number; checkouts: number; elapsedMs: number } | undefined;
        const failed = result.results.filter((r) => r.valid !== true).map((r) => r.name);
        gates.push({ gate: result.gate, valid: result.valid, failed, ...(searched ? { searched: { runs: searched.runs, checkouts: searched.checkouts, elapsedMs: searched.elapsedMs } } : {}) });
      },
    });
  } catch (error) {
    return outcome({ message: error instanceof Error ? error.message : String(error), exitCode: exitCodeOf(error) });
  }
  return outcome();
}
