import { resolve } from "node:path";
import reference from "../nexus-worker.js";
import { NexusError } from "../harness/system/errors.js";
import { describeOutcome } from "../harness/runner/describe-outcome.js";
import { checkGate } from "../harness/runner/gate.js";
import { gateFoldersUnder, readRecordedGate } from "../harness/store/run-store.js";
import { selectGates } from "../scenarios/index.js";
import { DEPLOY_JUDGED } from "../scenarios/gates/deploy-mid-flight.js";
import { SOAK_JUDGED } from "../scenarios/soak.js";

/**
 * Re-runs the checkers on a stored run (spec, history and final state of each gate folder), without any server;
 * prints each gate's verdict and returns 0 only when every one is valid.
 */
export async function checkJob(runDir: string): Promise<number> {
  const dirs = gateFoldersUnder(resolve(runDir));
  if (dirs.length === 0) throw new NexusError("usage", `no stored gate run (spec.json) under ${runDir}`);
  let failed = 0;
  for (const dir of dirs) {
    const { spec, history, finalState } = readRecordedGate(dir);
    // A soak (nexus soak) and a deploy gate (nexus deploy-check) are not among the gates `nexus run` runs, but are judged as gates.
    const [gate] = spec.gate === SOAK_JUDGED.name ? [SOAK_JUDGED] : spec.gate.startsWith(`${DEPLOY_JUDGED.name}-`) ? [DEPLOY_JUDGED] : selectGates([spec.gate]);
    const started = Date.now();
    // Runs stored before the Worker's capabilities were recorded were all of the reference Worker.
    const capabilities = spec.worker?.capabilities ?? reference.capabilities;
    const { valid, results, skippedCheckers } = checkGate(gate!, history, finalState, capabilities);
    if (valid !== true) failed += 1;
    console.log(
      describeOutcome({
        gate: gate!.name,
        title: gate!.title,
        seed: spec.seed,
        valid,
        results,
        skippedCheckers,
        history,
        finalState,
        durationMs: Date.now() - started,
        dir,
      }),
    );
  }
  console.log(`\nchecked ${dirs.length} stored gate runs: ${dirs.length - failed} valid, ${failed} not`);
  return failed === 0 ? 0 : 1;
}
