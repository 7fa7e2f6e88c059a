import { join } from "node:path";
import type { UpgradeStepDetails } from "../harness/deploy/procedures.js";
import { deployStepsOf } from "../harness/history/deploys.js";
import { isReleaseVersion } from "../harness/restate/versions.js";
import { runGates } from "../harness/runner/run-gates.js";
import { restateBinary } from "../harness/runtime/binary-runtime.js";
import { restateRelease } from "../harness/runtime/restate-release.js";
import type { UpgradeCheckRecord } from "../harness/store/records.js";
import { linkLatest, newRunDir } from "../harness/store/run-dirs.js";
import { writeUpgradeCheck } from "../harness/store/run-store.js";
import { verdictWord } from "../harness/system/colour.js";
import { ExitCode, NexusError } from "../harness/system/errors.js";
import { Progress, seconds } from "../harness/system/progress.js";
import { newSeed } from "../harness/system/random.js";
import { prepareWorker, resolveWorker, workerLabel } from "../harness/worker/worker-under-test.js";
import type { WorkerChoice } from "./options.js";
import { serverUpgradeMidFlight } from "../scenarios/gates/deploy-mid-flight.js";
import { deployOutcomeOf, deployProgress, outcomeLine } from "./deploy-outcome.js";

/** Options of `nexus upgrade-check`. */
export interface UpgradeCheckOptions {
  worker?: WorkerChoice;
  /** The Restate release running now (e.g. 1.6.2). */
  fromRelease: string;
  /** The release to upgrade to (default: the one npm installed with nexus). */
  toRelease?: string;
  seed?: number;
  workerEnv?: Record<string, string>;
  runDir?: string;
}

/**
 * Upgrades Restate from `fromRelease` to `toRelease` in place while bookings are in flight on the Worker under test
 * (the server-upgrade deploy gate, on a fresh stack of the binary runtime); prints what the upgrade did and the
 * verdict, and writes upgrade-check.json. Returns 0 when every invariant held through it, 1 when not. Bad release names are refused before any work.
 */
export async function upgradeCheckJob(options: UpgradeCheckOptions): Promise<number> {
  for (const release of [options.fromRelease, options.toRelease]) {
    if (release !== undefined && !isReleaseVersion(release)) throw new NexusError("usage", `"${release}" is not a Restate release: give one like 1.6.2`);
  }
  const worker = await resolveWorker(options.worker);
  const next = options.toRelease === undefined ? restateBinary() : await restateRelease(options.toRelease, (line) => console.log(line));
  if (next.version === options.fromRelease)
    throw new NexusError("usage", `--from-release and the release to upgrade to are both ${next.version}: name two releases`);
  const runDir = options.runDir ?? newRunDir("upgrade-check");
  const seed = options.seed ?? newSeed();
  const progress = new Progress();
  try {
    console.log(
      `nexus upgrade-check: Restate ${options.fromRelease} → ${next.version} under the Worker ${workerLabel(worker)}, seed ${seed}; output in ${runDir}`,
    );
    progress.phase("upgrade-check: bundling the Worker");
    const prepared = await prepareWorker(worker, join(runDir, "bundle"));
    const { outcomes, skipped } = await runGates([serverUpgradeMidFlight(options.fromRelease, next)], {
      runDir,
      worker: prepared,
      runtimeName: "binary",
      workerEnv: options.workerEnv,
      seed,
      onEvent: deployProgress(progress, "upgrade-check"),
    });
    progress.stop();
    const [outcome] = outcomes;
    if (outcome === undefined) {
      console.log(`${verdictWord("NOTHING JUDGED")}: ${skipped.map((s) => `${s.gate}: ${s.reason}`).join("; ")}`);
      return ExitCode.gateFailed;
    }
    const details = deployStepsOf(outcome.history).find((step) => step.step === "cut-over")?.details as UpgradeStepDetails | undefined;
    const record: UpgradeCheckRecord = {
      from: options.fromRelease,
      to: next.version,
      seed,
      downMs: details?.downMs ?? null,
      graceful: details?.graceful ?? null,
      deprecations: details?.deprecations ?? [],
      outcome: deployOutcomeOf("server-upgrade", outcome),
    };
    const path = await writeUpgradeCheck(runDir, record);
    await linkLatest(runDir);
    console.log(`\nupgrade-check: Restate ${record.from} → ${record.to}`);
    console.log(outcomeLine(record.outcome));
    if (record.downMs !== null)
      console.log(
        `  Restate answered nothing for ${seconds(record.downMs)}; the old release ${record.graceful ? "stopped by itself" : "was killed after its grace"}`,
      );
    for (const line of record.deprecations) console.log(`  ${record.to} warns: ${line}`);
    console.log(`figures: ${path}`);
    console.log(
      outcome.valid === true
        ? `${verdictWord("PASS")}: every invariant held and every booking was answered through the upgrade`
        : `${verdictWord("FAIL")}: the upgrade broke an invariant (${record.outcome.failed.join(", ")}): see ${outcome.dir}`,
    );
    return outcome.valid === true ? ExitCode.ok : ExitCode.gateFailed;
  } finally {
    progress.stop();
  }
}
