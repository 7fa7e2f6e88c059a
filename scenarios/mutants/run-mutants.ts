import { newRunDir } from "../../harness/paths.js";
import { startStack } from "../../harness/stack.js";
import { runGate, stackOptionsFor, type GateOutcome } from "../gate.js";
import { selectGates } from "../index.js";
import { buildMutant } from "./build-mutant.js";
import type { Mutant } from "./catalogue.js";

/** A mutant's fate: killed when at least one of its gates judged the run invalid (unknown does not count). */
export interface MutantOutcome {
  mutant: string;
  bug: string;
  killed: boolean;
  /** Each gate's verdict and the checkers that failed, e.g. "double-booking: FAIL (no-double-sale)". */
  gates: Array<{ gate: string; valid: GateOutcome["valid"]; failed: string[] }>;
  durationMs: number;
}

/** Builds one mutant and runs its gates against it, each on a fresh stack. */
export async function runMutant(mutant: Mutant, log: (message: string) => void = () => undefined): Promise<MutantOutcome> {
  const started = Date.now();
  const bundle = await buildMutant(mutant);
  const gates: MutantOutcome["gates"] = [];
  for (const gate of selectGates(mutant.gates)) {
    const stack = await startStack({ runDir: newRunDir(`mutant-${mutant.name}-${gate.name}`), bundle, ...stackOptionsFor(gate) });
    try {
      const outcome = await runGate(gate, stack, { log: (message) => log(`  ${gate.name}: ${message}`) });
      gates.push({ gate: gate.name, valid: outcome.valid, failed: outcome.results.filter((r) => r.valid !== true).map((r) => r.name) });
    } finally {
      await stack.stop();
    }
  }
  return { mutant: mutant.name, bug: mutant.bug, killed: gates.some((g) => g.valid === false), gates, durationMs: Date.now() - started };
}
