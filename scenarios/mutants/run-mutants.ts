import { exitCodeOf } from "../../harness/errors.js";
import { newRunDir } from "../../harness/paths.js";
import { startStack } from "../../harness/stack.js";
import { runGate, stackOptionsFor, type GateOutcome } from "../gate.js";
import { selectGates } from "../index.js";
import { buildMutant } from "./build-mutant.js";
import type { Mutant } from "./catalogue.js";

/**
 * A mutant's fate: killed when at least one of its gates judged the run invalid (unknown does not count), even if a
 * later gate could not run; `error` when its stack or a gate could not run at all (a mutant not killed before that
 * neither killed nor survived).
 */
export interface MutantOutcome {
  mutant: string;
  bug: string;
  killed: boolean;
  error?: { message: string; exitCode: number };
  /** Each gate's verdict, the checkers that failed, and for a searching gate how much it searched (runs, checkouts, ms). */
  gates: Array<{ gate: string; valid: GateOutcome["valid"]; failed: string[]; searched?: { runs: number; checkouts: number; elapsedMs: number } }>;
  durationMs: number;
}

/**
 * Builds one mutant and runs its gates against it, each on a fresh stack. A failure to build, start or run is
 * returned as the outcome's `error` (with the gates judged before it), so one broken run does not hide the rest.
 */
export async function runMutant(mutant: Mutant, log: (message: string) => void = () => undefined): Promise<MutantOutcome> {
  const started = Date.now();
  const gates: MutantOutcome["gates"] = [];
  const outcome = (error?: MutantOutcome["error"]): MutantOutcome => ({
    mutant: mutant.name,
    bug: mutant.bug,
    killed: gates.some((g) => g.valid === false),
    ...(error === undefined ? {} : { error }),
    gates,
    durationMs: Date.now() - started,
  });
  try {
    const bundle = await buildMutant(mutant);
    for (const gate of selectGates(mutant.gates)) {
      const stack = await startStack({ runDir: newRunDir(`mutant-${mutant.name}-${gate.name}`), bundle, ...stackOptionsFor(gate) });
      try {
        const result = await runGate(gate, stack, { log: (message) => log(`  ${gate.name}: ${message}`), search: { shrink: false } });
        const searched = result.history.find((op) => op.f === "model-search" && op.type === "ok")?.value as { runs: number; checkouts: number; elapsedMs: number } | undefined;
        const failed = result.results.filter((r) => r.valid !== true).map((r) => r.name);
        gates.push({ gate: gate.name, valid: result.valid, failed, ...(searched ? { searched: { runs: searched.runs, checkouts: searched.checkouts, elapsedMs: searched.elapsedMs } } : {}) });
      } finally {
        await stack.stop();
      }
    }
  } catch (error) {
    return outcome({ message: error instanceof Error ? error.message : String(error), exitCode: exitCodeOf(error) });
  }
  return outcome();
}
