import { existsSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import type { DeployProcedureName } from "../harness/deploy/procedures.js";
import { runGates } from "../harness/runner/run-gates.js";
import type { DeployCheckRecord, DeployOutcome } from "../harness/store/records.js";
import { linkLatest, newRunDir } from "../harness/store/run-dirs.js";
import { writeDeployCheck } from "../harness/store/run-store.js";
import { verdictWord } from "../harness/system/colour.js";
import { ExitCode, NexusError } from "../harness/system/errors.js";
import { projectRoot } from "../harness/system/paths.js";
import { Progress } from "../harness/system/progress.js";
import { newSeed } from "../harness/system/random.js";
import { workerAtRef } from "../harness/worker/git-version.js";
import { wranglerConfigIn, WRANGLER_CONFIG_FILES } from "../harness/worker/worker-config.js";
import { bundleOf, prepareWorker, resolveWorker, workerLabel } from "../harness/worker/worker-under-test.js";
import { deployMidFlight } from "../scenarios/gates/deploy-mid-flight.js";
import { deployOutcomeOf, deployProgress, MIXING, outcomeLine } from "./deploy-outcome.js";

/** One side of a deploy: a Worker project folder or a git revision of the repository the Worker lies in, and its wrangler environment. */
export interface VersionChoice {
  /** A folder, or a git revision (branch, tag, commit) of the Worker's repository; unset: the Worker's folder as it is. */
  at?: string;
  wranglerEnv?: string;
  /** Bindings of this side alone, over its description's (e.g. BOOKING_DESIGN=saga, where one bundle serves two designs). */
  workerEnv?: Record<string, string>;
}

/** Options of `nexus deploy-check`. */
export interface DeployCheckOptions {
  /** The Worker project (default NEXUS_WORKER, else the reference Worker): the folder a git revision is taken of. */
  workerDir?: string;
  from: VersionChoice;
  to: VersionChoice;
  runtime?: string;
  seed?: number;
  /** Bindings of both sides. */
  workerEnv?: Record<string, string>;
  runDir?: string;
}

/** The procedures deploy-check runs: the one a team should follow, and the one `wrangler deploy` does. */
const CHECKED: DeployProcedureName[] = ["versioned", "in-place"];

/** The folder of one side: the folder named, or the Worker's folder at the named git revision. */
async function folderOf(choice: VersionChoice, workerDir: string): Promise<string> {
  if (choice.at === undefined) return workerDir;
  if (existsSync(choice.at) && statSync(choice.at).isDirectory()) {
    if (wranglerConfigIn(resolve(choice.at)) === undefined)
      throw new NexusError("usage", `${choice.at} has no ${WRANGLER_CONFIG_FILES.join(", ")}: name a Worker project folder`);
    return resolve(choice.at);
  }
  return workerAtRef(workerDir, choice.at);
}

/** A side's short name: where it came from, its wrangler environment and its own bindings. */
function versionLabel(choice: VersionChoice): string {
  const env = choice.wranglerEnv === undefined ? "" : ` [env.${choice.wranglerEnv}]`;
  const bindings = Object.entries(choice.workerEnv ?? {}).map(([k, v]) => ` ${k}=${v}`);
  return `${choice.at ?? "the working tree"}${env}${bindings.join("")}`;
}

/**
 * Deploys version `to` over version `from` while bookings are in flight, once by the versioned procedure and once in
 * place (as `wrangler deploy` does), each on a fresh stack; prints what each did and writes deploy-check.json. Returns
 * 0 when the versioned procedure kept every invariant (the in-place verdict is information: whether this change could
 * go in place), 1 when it did not.
 */
export async function deployCheckJob(options: DeployCheckOptions): Promise<number> {
  const workerDir = resolve(options.workerDir ?? process.env.NEXUS_WORKER ?? projectRoot);
  const [fromDir, toDir] = [await folderOf(options.from, workerDir), await folderOf(options.to, workerDir)];
  const from = await resolveWorker({ dir: fromDir, wranglerEnv: options.from.wranglerEnv });
  const to = await resolveWorker({ dir: toDir, wranglerEnv: options.to.wranglerEnv });
  if (from.description.name !== to.description.name)
    throw new NexusError(
      "usage",
      `the two versions describe different Workers (${from.description.name}, ${to.description.name}): their seats are read one way`,
    );
  const runDir = options.runDir ?? newRunDir("deploy-check");
  const seed = options.seed ?? newSeed();
  const progress = new Progress();
  try {
    const [fromLabel, toLabel] = [versionLabel(options.from), versionLabel(options.to)];
    console.log(`nexus deploy-check: the Worker ${workerLabel(from)} from ${fromLabel} to ${toLabel}, seed ${seed}; output in ${runDir}`);
    progress.phase("deploy-check: bundling both versions");
    const prepared = await prepareWorker(from, join(runDir, "from-bundle"));
    const bindings = { ...to.description.bindings, ...options.to.workerEnv };
    const next = { name: toLabel, bundle: await bundleOf(to, join(runDir, "to-bundle")), bindings };
    const { outcomes, skipped } = await runGates(
      CHECKED.map((procedure) => deployMidFlight(next, procedure)),
      {
        runDir,
        worker: prepared,
        runtimeName: options.runtime,
        workerEnv: { ...options.workerEnv, ...options.from.workerEnv },
        seed,
        onEvent: deployProgress(progress, "deploy-check"),
      },
    );
    progress.stop();
    if (skipped.length > 0 || outcomes.length !== CHECKED.length) {
      console.log(`${verdictWord("NOTHING JUDGED")}: ${skipped.map((s) => `${s.gate}: ${s.reason}`).join("; ")}`);
      return ExitCode.gateFailed;
    }
    const results = outcomes.map((outcome, i) => deployOutcomeOf(CHECKED[i]!, outcome));
    const [versioned, inPlace] = results as [DeployOutcome, DeployOutcome];
    const inPlaceSafe = outcomes[1]!.results.every((r) => r.valid === true || r.name === MIXING);
    const record: DeployCheckRecord = { from: fromLabel, to: toLabel, seed, versionedSafe: versioned.valid === true, inPlaceSafe, outcomes: results };
    const path = await writeDeployCheck(runDir, record);
    await linkLatest(runDir);
    console.log(`\ndeploy-check: ${fromLabel} → ${toLabel}`);
    for (const outcome of results) console.log(outcomeLine(outcome));
    console.log(
      inPlaceSafe
        ? `in place: this change harmed no booking in flight (${inPlace.mixedVersions} invocations finished on the new code: journal-compatible); the versioned procedure is still the rule`
        : `in place: ${verdictWord("UNSAFE")} for this change: deploy it as a new version and drain the old one`,
    );
    console.log(`figures: ${path}`);
    console.log(
      record.versionedSafe
        ? `${verdictWord("PASS")}: the versioned procedure kept every invariant with bookings in flight`
        : `${verdictWord("FAIL")}: the versioned procedure broke an invariant (${versioned.failed.join(", ")}): see ${versioned.dir}`,
    );
    return record.versionedSafe ? ExitCode.ok : ExitCode.gateFailed;
  } finally {
    progress.stop();
  }
}
