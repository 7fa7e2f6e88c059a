import { existsSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import type { DeployProcedureName } from "../harness/deploy/procedures.js";
import { lastObserved } from "../harness/history/deploys.js";
import { describeOutcome } from "../harness/runner/describe-outcome.js";
import type { GateOutcome } from "../harness/runner/gate.js";
import { runGates } from "../harness/runner/run-gates.js";
import type { DeployCheckRecord, DeployOutcome } from "../harness/store/records.js";
import { linkLatest, newRunDir } from "../harness/store/run-dirs.js";
import { writeDeployCheck } from "../harness/store/run-store.js";
import { verdictWord } from "../harness/system/colour.js";
import { ExitCode, NexusError } from "../harness/system/errors.js";
import { projectRoot } from "../harness/system/paths.js";
import { Progress, seconds } from "../harness/system/progress.js";
import { newSeed } from "../harness/system/random.js";
import { workerAtRef } from "../harness/worker/git-version.js";
import { wranglerConfigIn, WRANGLER_CONFIG_FILES } from "../harness/worker/worker-config.js";
import { bundleOf, prepareWorker, resolveWorker, workerLabel } from "../harness/worker/worker-under-test.js";
import { deployMidFlight } from "../scenarios/gates/deploy-mid-flight.js";

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

/** The checker a compatible in-place deploy still fails: it ran invocations on both versions, harming none. */
const MIXING = "one-version-per-invocation";

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

const count = (outcome: GateOutcome, checker: string, of: "bookings" | "seats" | "ledger") =>
  outcome.results.find((r) => r.name === checker && r.valid === false)?.offenders[of].length ?? 0;
const stat = (outcome: GateOutcome, checker: string, name: string) => Number(outcome.results.find((r) => r.name === checker)?.stats[name] ?? 0);

/** A side's short name: where it came from, its wrangler environment and its own bindings. */
function versionLabel(choice: VersionChoice): string {
  const env = choice.wranglerEnv === undefined ? "" : ` [env.${choice.wranglerEnv}]`;
  const bindings = Object.entries(choice.workerEnv ?? {}).map(([k, v]) => ` ${k}=${v}`);
  return `${choice.at ?? "the working tree"}${env}${bindings.join("")}`;
}

/** What one procedure's run did to the bookings in flight, counted from its checkers and Restate's final state. */
function deployOutcomeOf(procedure: string, outcome: GateOutcome): DeployOutcome {
  const finish = outcome.history.find((op) => op.f === "deploy" && op.type === "ok" && op.value.step === "finish");
  const drainMs = (finish?.value.details as { drainMs?: number } | undefined)?.drainMs;
  return {
    procedure,
    valid: outcome.valid,
    failed: outcome.results.filter((r) => r.valid !== true).map((r) => r.name),
    dir: outcome.dir,
    inFlight: (lastObserved(outcome.history, "in-flight")?.counts ?? {}) as Record<string, number>,
    journalMismatches: stat(outcome, "journal-compatible", "journalMismatches"),
    mixedVersions: stat(outcome, MIXING, "mixedVersions"),
    paused: outcome.finalState.invocations.paused ?? 0,
    unanswered: stat(outcome, "bookings-answered", "bookings") - stat(outcome, "bookings-answered", "answered"),
    moneyErrors: count(outcome, "exactly-once-charge", "bookings"),
    seatErrors: count(outcome, "seats-sold", "seats") + count(outcome, "no-double-sale", "seats"),
    drainMs: drainMs ?? null,
  };
}

/** One line on what a procedure did: PASS, or what it cost the bookings in flight. */
function outcomeLine(o: DeployOutcome): string {
  const inFlight = Object.entries(o.inFlight)
    .map(([status, n]) => `${n} ${status}`)
    .join(", ");
  const drained = o.drainMs === null ? "" : `; the old version drained ${seconds(o.drainMs)} after the cut-over`;
  if (o.valid === true) return `  ${o.procedure}: ${verdictWord("PASS")} (in flight at the cut-over: ${inFlight})${drained}`;
  const harm = [
    [o.journalMismatches, "journal mismatches (570)"],
    [o.paused, "invocations paused"],
    [o.unanswered, "bookings unanswered"],
    [o.moneyErrors, "bookings with wrong money"],
    [o.seatErrors, "seats wrong"],
    [o.mixedVersions, "invocations ran on both versions"],
  ] as const;
  const found = harm.filter(([n]) => n > 0).map(([n, what]) => `${n} ${what}`);
  return `  ${o.procedure}: ${verdictWord("FAIL")}: ${found.join(", ") || "see the checkers"} (failed: ${o.failed.join(", ")}; in flight at the cut-over: ${inFlight})`;
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
    if (from.description.name !== to.description.name)
      throw new NexusError(
        "usage",
        `the two versions describe different Workers (${from.description.name}, ${to.description.name}): their seats are read one way`,
      );
    const { outcomes, skipped } = await runGates(
      CHECKED.map((procedure) => deployMidFlight(next, procedure)),
      {
        runDir,
        worker: prepared,
        runtimeName: options.runtime,
        workerEnv: { ...options.workerEnv, ...options.from.workerEnv },
        seed,
        onEvent: (event) => {
          if (event.kind === "started") progress.phase(`deploy-check: ${event.gate}`);
          else if (event.kind === "log") progress.log(`${event.gate}: ${event.message}`);
          else if (event.kind === "finished") progress.log(describeOutcome(event.outcome));
        },
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
