import { cpus } from "node:os";
import { describeCell, describeComparisons, runBench } from "../benchmarks/bench.js";
import { benchSkipReason } from "../benchmarks/locust.js";
import { DEFAULT_DESIGNS } from "../benchmarks/config.js";
import { verdictWord } from "../harness/system/colour.js";
import { linkLatest, newRunDir } from "../harness/store/run-dirs.js";
import { Progress, seconds } from "../harness/system/progress.js";
import { newSeed } from "../harness/system/random.js";
import { describeOutcome } from "../harness/runner/describe-outcome.js";
import { runGates, type RunnerEvent } from "../harness/runner/run-gates.js";
import { capabilitiesOf, type RemoteStackTarget } from "../harness/stack/stack.js";
import type { BenchSummary } from "../harness/store/records.js";
import { benchFolderOf, writeJunit, writeSummary } from "../harness/store/run-store.js";
import { runVerdict } from "../harness/store/verdict.js";
import { judgedAsDeployed, prepareWorker, resolveWorker, workerLabel, type JudgedWorker, type WorkerChoice } from "../harness/worker/worker-under-test.js";
import reference from "../nexus-worker.js";
import { buildReport } from "../reports/build-report.js";
import { junitXml } from "../reports/junit.js";
import { appendStepSummary, runStepSummary } from "../reports/step-summary.js";
import { selectGates } from "../scenarios/index.js";
import { exitCodeOfVerdict, headlineLine } from "./exit.js";

/** Options of `nexus run`. */
export interface RunJobOptions {
  gates: string[];
  /** Seed of every random choice; the same seed replays the same schedule. */
  seed?: number;
  /** How long a searching gate (booking-model) looks for a failing history. */
  budgetMs?: number;
  /** Restate runtime: "binary" (default), "container" or "cluster". */
  runtime?: string;
  /** Run the quick benchmark after the gates (it needs Locust, which it installs with Python 3). */
  bench: boolean;
  /** Run the gates against a remote Restate environment instead of the embedded one (token: RESTATE_AUTH_TOKEN). */
  remote?: Omit<RemoteStackTarget, "token">;
  /** The Worker under test (default: NEXUS_WORKER, NEXUS_WORKER_BUNDLE, else the reference Worker). */
  worker?: WorkerChoice;
  /** Worker bindings for every gate (under each gate's own), e.g. a test Worker's settings. */
  workerEnv?: Record<string, string>;
  /** Where the run is stored (default: a new folder under reports/out/). */
  runDir?: string;
}

/** Prints the runner's events: a live line for the gate running now, a block per finished gate, a line per skipped one. */
function printEvents(progress: Progress): (event: RunnerEvent) => void {
  return (event) => {
    const tag = `[${event.index + 1}/${event.total}] ${event.gate}`;
    if (event.kind === "skipped") progress.log(`${tag}: ${verdictWord("SKIPPED")}: ${event.reason}`);
    else if (event.kind === "started") progress.phase(`${tag}: running`);
    else if (event.kind === "log") progress.log(`${tag}: ${event.message}`);
    else progress.log(describeOutcome(event.outcome));
  };
}

/** Runs the quick benchmark into `<run>/bench` on `worker`, or says why it did not run. */
async function quickBench(options: RunJobOptions, runDir: string, seed: number, worker: JudgedWorker, progress: Progress): Promise<BenchSummary> {
  const skipped = (reason: string): BenchSummary => ({ skipped: reason, auditFailed: 0, unmeasured: 0 });
  if (!options.bench) return skipped("turned off (--no-bench)");
  if (options.remote) return skipped("the benchmark runs on the embedded stack only; nexus compare measures a remote environment");
  const missing = await benchSkipReason();
  if (missing !== undefined) return skipped(missing);
  if (worker.bundle === undefined) return skipped("the benchmark measures the Worker the harness runs, not a deployed one");
  progress.phase(`benchmark (quick, ${DEFAULT_DESIGNS.join(", ")})`);
  const { bench, auditFailed, unmeasured } = await runBench({
    size: "quick",
    designs: DEFAULT_DESIGNS,
    dashboard: false,
    seed,
    dir: benchFolderOf(runDir),
    worker: { ...worker, bundle: worker.bundle },
    baseline: reference,
    onEvent: (event) => {
      if (event.kind === "log") return progress.log(event.message);
      progress.log(`[${event.index + 1}/${event.total}] ${describeCell(event.result)}`);
      progress.status(`benchmark: cell ${event.index + 1}/${event.total} done (${event.label})`);
    },
  });
  for (const line of describeComparisons(bench)) progress.log(line);
  return { skipped: null, auditFailed, unmeasured };
}

/**
 * The main job: runs every selected gate on a fresh stack each (through the gate runner), then the quick benchmark
 * (unless turned off, or Locust cannot be had: it says why), stores summary.json, junit.xml and the HTML report in the
 * run folder, appends the step summary when GITHUB_STEP_SUMMARY is set, prints the summary and the run's one verdict,
 * and returns its exit code (0 only for PASS).
 */
export async function runJob(options: RunJobOptions): Promise<number> {
  const seed = options.seed ?? newSeed();
  const gates = selectGates(options.gates);
  const remote = options.remote ? { ...options.remote, token: process.env.RESTATE_AUTH_TOKEN } : undefined;
  // The Worker under test is resolved once, here, and handed down. A deployed Worker is called where it runs and judged
  // by its description: the harness bundles the Worker only when it runs it. Its config is checked before the run
  // folder exists, so a Worker nexus cannot run leaves nothing behind.
  const runsWorker = capabilitiesOf({ remote }).workerControl;
  const chosen = await resolveWorker(options.worker, (line) => console.log(`nexus: ${line}`));
  const runDir = options.runDir ?? newRunDir("run");
  const progress = new Progress();
  try {
    const target = remote
      ? `the remote environment at ${remote.ingressUrl}`
      : `the embedded stack (${options.runtime ?? process.env.NEXUS_RUNTIME ?? "binary"} runtime)`;
    const label = runsWorker ? `the Worker ${workerLabel(chosen)}` : `the deployed Worker, judged as ${chosen.description.name}`;
    console.log(
      `nexus run: ${gates.length} gate${gates.length === 1 ? "" : "s"} on ${target} with ${label}, seed ${seed} (replay with --seed ${seed}); output in ${runDir}`,
    );
    const worker: JudgedWorker = runsWorker ? await prepareWorker(chosen, `${runDir}/bundle`) : judgedAsDeployed(chosen);
    if (runsWorker) progress.log(`  Worker bundled (${progress.elapsed()})`);
    const { outcomes, skipped } = await runGates(gates, {
      runDir,
      worker,
      runtimeName: options.runtime,
      remote,
      workerEnv: options.workerEnv,
      seed,
      search: options.budgetMs === undefined ? {} : { budgetMs: options.budgetMs },
      onEvent: printEvents(progress),
    });
    const bench = await quickBench(options, runDir, seed, worker, progress);
    progress.stop();
    if (bench.skipped) console.log(`benchmark skipped: ${bench.skipped}`);
    const passed = outcomes.filter((o) => o.valid === true).length;
    await writeSummary(runDir, {
      seed,
      passed,
      failed: outcomes.length - passed,
      skipped,
      bench,
      target: remote ? { ingress: remote.ingressUrl, admin: remote.adminUrl, worker: remote.workerUrl ?? null } : "embedded",
      worker: runsWorker ? worker.description.name : "deployed",
      durationMs: progress.elapsedMs(),
      cores: cpus().length,
      gates: outcomes.map((o) => ({ gate: o.gate, valid: o.valid, durationMs: o.durationMs, dir: o.dir })),
    });
    const report = await buildReport(runDir);
    const junitPath = await writeJunit(runDir, junitXml(report.run));
    await appendStepSummary(runStepSummary(report.run));
    await linkLatest(runDir);
    const verdict = runVerdict(report.run);
    console.log("\nsummary");
    for (const o of outcomes)
      console.log(
        `  ${verdictWord(o.valid === true ? "PASS" : o.valid === false ? "FAIL" : "UNKNOWN")}  ${o.gate.padEnd(22)} ${seconds(o.durationMs).padStart(7)}  ${o.title}`,
      );
    for (const s of skipped) console.log(`  ${verdictWord("SKIP")}  ${s.gate.padEnd(22)} ${s.reason}`);
    if (!bench.skipped) {
      const unmeasured = bench.unmeasured > 0 ? `; ${bench.unmeasured} unmeasured (iterations dropped)` : "";
      console.log(
        `  ${verdictWord(bench.auditFailed === 0 ? "PASS" : "FAIL")}  ${"bench (quick)".padEnd(22)} every cell audited${bench.auditFailed > 0 ? `: ${bench.auditFailed} failed` : ""}${unmeasured}`,
      );
    }
    console.log(
      `\ngates: ${passed} passed, ${outcomes.length - passed} failed${skipped.length > 0 ? `, ${skipped.length} skipped` : ""} (${progress.elapsed()}); results in ${runDir}`,
    );
    console.log(`report: ${report.path} (${Math.round(report.bytes / 1024)} KiB)   junit: ${junitPath}`);
    console.log(headlineLine(verdict));
    return exitCodeOfVerdict(verdict);
  } finally {
    progress.stop();
  }
}
