import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { NexusError } from "../../harness/errors.js";
import { newRunDir } from "../../harness/paths.js";
import { MUTANTS } from "../../scenarios/mutants/catalogue.js";
import { runMutant, type MutantOutcome } from "../../scenarios/mutants/run-mutants.js";

/** Options of `nexus mutants`. */
export interface MutantsCommandOptions {
  names: string[];
}

/**
 * Builds each mutant of the catalogue (or the named ones), runs the gates that must catch it, prints one line per
 * mutant and `mutants: N killed, N survived`; returns non-zero when any survived.
 */
export async function mutantsCommand(options: MutantsCommandOptions): Promise<number> {
  const unknown = options.names.filter((n) => !MUTANTS.some((m) => m.name === n));
  if (unknown.length > 0) throw new NexusError("usage", `unknown mutant ${unknown.join(", ")}: choose from ${MUTANTS.map((m) => m.name).join(", ")}`);
  const mutants = options.names.length === 0 ? MUTANTS : MUTANTS.filter((m) => options.names.includes(m.name));
  const started = Date.now();
  const outcomes: MutantOutcome[] = [];
  for (const [i, mutant] of mutants.entries()) {
    console.log(`[${i + 1}/${mutants.length}] ${mutant.name}: ${mutant.bug} (${((Date.now() - started) / 1000).toFixed(0)} s elapsed)`);
    const outcome = await runMutant(mutant);
    outcomes.push(outcome);
    const verdicts = outcome.gates.map((g) => `${g.gate} ${g.valid === true ? "passed" : `FAILED (${g.failed.join(", ")})`}`).join("; ");
    console.log(`  ${outcome.killed ? "killed  " : "SURVIVED"} ${mutant.name}: ${verdicts} (${(outcome.durationMs / 1000).toFixed(1)} s)`);
  }
  const killed = outcomes.filter((o) => o.killed).length;
  const dir = newRunDir("mutants");
  await writeFile(join(dir, "mutants.json"), JSON.stringify(outcomes, null, 2));
  console.log(`\nmutants: ${killed} killed, ${outcomes.length - killed} survived (${((Date.now() - started) / 1000).toFixed(0)} s); details in ${dir}`);
  return killed === outcomes.length ? 0 : 1;
}
