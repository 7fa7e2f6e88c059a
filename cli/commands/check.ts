import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { NexusError } from "../../harness/errors.js";
import type { FinalState } from "../../harness/final-state.js";
import { parseHistory } from "../../harness/history.js";
import { describeOutcome } from "../../scenarios/describe-outcome.js";
import { checkGate, type GateSpec } from "../../scenarios/gate.js";
import { selectGates } from "../../scenarios/index.js";

/** The gate folders of a stored run: `dir` itself when it holds a spec.json, else its sub-folders that do. */
function gateDirs(dir: string): string[] {
  if (existsSync(join(dir, "spec.json"))) return [dir];
  if (!existsSync(dir)) throw new NexusError("usage", `${dir} does not exist: give a run folder under reports/out/`);
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) found.push(...gateDirs(join(dir, entry.name)).filter((d) => existsSync(join(d, "spec.json"))));
  }
  return found;
}

/**
 * Re-runs the checkers on a stored run (spec.json, history.jsonl, final-state.json), without any server; prints each
 * gate's verdict and returns 0 only when every one is valid.
 */
export async function checkCommand(runDir: string): Promise<number> {
  const dirs = gateDirs(resolve(runDir));
  if (dirs.length === 0) throw new NexusError("usage", `no stored gate run (spec.json) under ${runDir}`);
  let failed = 0;
  for (const dir of dirs) {
    const read = (name: string) => {
      const path = join(dir, name);
      if (!existsSync(path)) throw new NexusError("usage", `${path} is missing: this run did not finish storing its results`);
      return readFileSync(path, "utf8");
    };
    const spec = JSON.parse(read("spec.json")) as GateSpec;
    const [gate] = selectGates([spec.gate]);
    const history = parseHistory(read("history.jsonl"));
    const finalState = JSON.parse(read("final-state.json")) as FinalState;
    const started = Date.now();
    const { valid, results } = checkGate(gate!, history, finalState);
    if (valid !== true) failed += 1;
    console.log(describeOutcome({ gate: gate!.name, title: gate!.title, seed: spec.seed, valid, results, history, finalState, durationMs: Date.now() - started, dir }));
  }
  console.log(`\nchecked ${dirs.length} stored gate runs: ${dirs.length - failed} valid, ${failed} not`);
  return failed === 0 ? 0 : 1;
}
