import { ExitCode, NexusError } from "../harness/system/errors.js";
import { newRunDir } from "../harness/store/run-dirs.js";
import type { MutantRecord } from "../harness/store/records.js";
import { writeMutants } from "../harness/store/run-store.js";
import { runMutant } from "../harness/runner/run-mutant.js";
import type { WorkerBundle } from "../harness/worker/bundle.js";
import { buildVariant } from "../harness/worker/variant.js";
import { REFERENCE_DESIGNS } from "../designs/index.js";
import { selectGates } from "../scenarios/index.js";
import { MUTANTS, type Mutant } from "../scenarios/mutants/catalogue.js";

/** Options of `nexus mutants`. */
export interface MutantsJobOptions {
  names: string[];
  /** Run every gate listed for each mutant, not only up to the first that kills it. */
  everyGate: boolean;
  /** How many mutants run at once, each on its own stacks (default 1). */
  lanes?: number;
}

/** Starts building `mutant`'s bundle (the Worker with its edits applied to a copy of worker/); a failure surfaces when the bundle is awaited. */
function startBuild(mutant: Mutant): Promise<WorkerBundle> {
  const build = buildVariant(`mutant-${mutant.name}`, mutant.edits);
  build.catch(() => undefined);
  return build;
}

/** A mutant that could not be judged: not killed by any gate before one could not run. */
const unjudged = (outcome: MutantRecord) => !outcome.killed && outcome.error !== undefined;

/** The line that says how one mutant ended: killed, SURVIVED, or ERROR when its gates could not run before one killed it; "(second try)" when its first did not kill it. */
function outcomeLine(outcome: MutantRecord): string {
  const searched = (g: MutantRecord["gates"][number]) =>
    g.searched ? ` after ${g.searched.checkouts} checkouts in ${g.searched.runs} runs, ${(g.searched.elapsedMs / 1000).toFixed(1)} s` : "";
  const verdicts = outcome.gates.map((g) => `${g.gate} ${g.valid === true ? "passed" : `FAILED (${g.failed.join(", ")})`}${searched(g)}`).join("; ");
  const seconds = `(${(outcome.durationMs / 1000).toFixed(1)} s)`;
  if (outcome.skipped !== undefined) return `  skipped  ${outcome.mutant}: ${outcome.skipped}`;
  if (unjudged(outcome)) return `  ERROR    ${outcome.mutant}: ${outcome.error?.message}${verdicts ? ` (after ${verdicts})` : ""} ${seconds}`;
  const then = outcome.error === undefined ? "" : `; then a gate could not run: ${outcome.error.message}`;
  const tries = outcome.firstTry === undefined ? "" : " (second try)";
  return `  ${outcome.killed ? "killed  " : "SURVIVED"} ${outcome.mutant}${tries}: ${verdicts}${then} ${seconds}`;
}

/**
 * Runs a mutant its first try did not kill once more (new seeds, fresh stacks): a bug that shows only under some
 * interleavings can slip past one run on a loaded machine. The second try's outcome stands, with the first kept beside it.
 */
async function secondTry(first: MutantRecord, run: () => Promise<MutantRecord>): Promise<MutantRecord> {
  console.log(`${outcomeLine(first)}; its gates run once more`);
  const second = await run();
  return { ...second, firstTry: { gates: first.gates, ...(first.error ? { error: first.error } : {}), durationMs: first.durationMs } };
}

/**
 * Builds each mutant of the catalogue (or the named ones; the next one's build overlaps the running one's gates), runs
 * the gates that must catch it (up to the first that does, unless `everyGate`), `lanes` mutants at a time (the
 * cluster's first), runs a mutant its first try did not kill once more, prints one line per mutant and `mutants: N
 * killed, N survived` (` (N on a second try)` after the killed, `, N could not run` when some could not, `, N skipped`
 * when none of a mutant's gates can run here); returns 0 when every mutant was killed or skipped, 1 when any survived
 * (or, under CI=true, was skipped), else the exit code of the first error.
 */
export async function mutantsJob(options: MutantsJobOptions): Promise<number> {
  const unknown = options.names.filter((n) => !MUTANTS.some((m) => m.name === n));
  if (unknown.length > 0) throw new NexusError("usage", `unknown mutant ${unknown.join(", ")}: choose from ${MUTANTS.map((m) => m.name).join(", ")}`);
  const mutants = options.names.length === 0 ? MUTANTS : MUTANTS.filter((m) => options.names.includes(m.name));
  const started = Date.now();
  const outcomes: MutantRecord[] = new Array(mutants.length);
  const builds = new Map<number, Promise<WorkerBundle>>();
  const buildOf = (i: number) => builds.get(i) ?? builds.set(i, startBuild(mutants[i]!)).get(i)!;
  // The cluster's mutants take longest (three nodes to start, cuts to heal): run first, none leaves a lane idle at the end.
  const order = mutants.map((_, i) => i).sort((a, b) => Number(mutants[b]!.runtime === "cluster") - Number(mutants[a]!.runtime === "cluster"));
  let taken = 0;
  const lane = async () => {
    while (taken < mutants.length) {
      const i = order[taken++]!;
      const mutant = mutants[i]!;
      console.log(`[${i + 1}/${mutants.length}] ${mutant.name}: ${mutant.bug} (${((Date.now() - started) / 1000).toFixed(0)} s elapsed)`);
      const bundle = buildOf(i);
      if (taken < mutants.length) buildOf(order[taken]!);
      const design = REFERENCE_DESIGNS[mutant.design];
      const run = () =>
        runMutant(mutant, {
          // The catalogue's order: the gate that kills it fastest first.
          gates: mutant.gates.flatMap((name) => selectGates([name])),
          worker: { bundle, description: design.description, descriptionPath: design.path },
          everyGate: options.everyGate,
        });
      const first = await run();
      outcomes[i] = first.killed || first.skipped !== undefined ? first : await secondTry(first, run);
      console.log(outcomeLine(outcomes[i]));
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.lanes ?? 1) }, lane));
  const killed = outcomes.filter((o) => o.killed).length;
  const errors = outcomes.filter(unjudged).length;
  const skipped = outcomes.filter((o) => o.skipped !== undefined).length;
  const survived = outcomes.length - killed - errors - skipped;
  const dir = newRunDir("mutants");
  await writeMutants(dir, outcomes);
  const secondTries = outcomes.filter((o) => o.killed && o.firstTry !== undefined).length;
  const tally = `${killed} killed${secondTries > 0 ? ` (${secondTries} on a second try)` : ""}, ${survived} survived${errors > 0 ? `, ${errors} could not run` : ""}${skipped > 0 ? `, ${skipped} skipped` : ""}`;
  console.log(`\nmutants: ${tally} (${((Date.now() - started) / 1000).toFixed(0)} s); details in ${dir}`);
  if (survived > 0) return ExitCode.gateFailed;
  if (skipped > 0 && process.env.CI === "true") {
    console.log("CI=true: a mutant whose gates cannot run here fails the run (see the skip reasons above)");
    return ExitCode.gateFailed;
  }
  return outcomes.find(unjudged)?.error?.exitCode ?? ExitCode.ok;
}
