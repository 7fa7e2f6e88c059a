import { writeFile } from "node:fs/promises";
import { cpus } from "node:os";
import { join } from "node:path";
import { runBench } from "../../benchmarks/bench.js";
import { benchSkipReason } from "../../harness/k6.js";
import { linkLatest, newRunDir } from "../../harness/paths.js";
import { Progress, seconds } from "../../harness/progress.js";
import { newSeed } from "../../harness/random.js";
import { capabilitiesOf, startStack, type RemoteStackTarget } from "../../harness/stack.js";
import { bundleWorker } from "../../harness/worker/bundle.js";
import { buildReport } from "../../reports/build-report.js";
import { junitXml } from "../../reports/junit.js";
import { describeOutcome } from "../../scenarios/describe-outcome.js";
import { cannotRunBecause, runGate, stackOptionsFor, type Gate, type GateOutcome } from "../../scenarios/gate.js";
import { selectGates } from "../../scenarios/index.js";

/** Options of `nexus run`. */
export interface RunCommandOptions {
  gates: string[];
  /** Seed of every random choice; the same seed replays the same schedule. */
  seed?: number;
  /** How long a searching gate (booking-model) looks for a failing history. */
  budgetMs?: number;
  /** Restate runtime: "binary" (default) or "cluster". */
  runtime?: string;
  /** Run the quick benchmark after the gates (default true; it needs k6, or Go to build it). */
  bench: boolean;
  /** Run the gates against a remote Restate environment instead of the embedded one (token: RESTATE_AUTH_TOKEN). */
  remote?: Omit<RemoteStackTarget, "token">;
}

/** A gate the target cannot run, and why. */
interface SkippedGate {
  gate: string;
  reason: string;
}

async function runGates(gates: Gate[], options: RunCommandOptions, runDir: string, seed: number, progress: Progress): Promise<{ outcomes: GateOutcome[]; skipped: SkippedGate[] }> {
  const remote = options.remote ? { ...options.remote, token: process.env.RESTATE_AUTH_TOKEN } : undefined;
  const capabilities = capabilitiesOf({ remote });
  // A deployed Worker is called where it runs: the harness bundles its own only when it will run it.
  const bundle = capabilities.workerControl ? await bundleWorker(join(runDir, "bundle")) : undefined;
  if (bundle) progress.log(`  Worker bundled (${progress.elapsed()})`);
  const outcomes: GateOutcome[] = [];
  const skipped: SkippedGate[] = [];
  for (const [i, gate] of gates.entries()) {
    const tag = `[${i + 1}/${gates.length}] ${gate.name}`;
    const reason = cannotRunBecause(gate, capabilities);
    if (reason !== undefined) {
      skipped.push({ gate: gate.name, reason });
      progress.log(`${tag}: SKIPPED on this target: ${reason}`);
      continue;
    }
    progress.phase(`${tag}: running`);
    const stack = await startStack({ runDir: join(runDir, gate.name), bundle, runtimeName: options.runtime, remote, ...stackOptionsFor(gate) });
    try {
      const search = options.budgetMs === undefined ? {} : { budgetMs: options.budgetMs };
      const outcome = await runGate(gate, stack, { seed, search, log: (message) => progress.log(`${tag}: ${message}`) });
      outcomes.push(outcome);
      progress.log(describeOutcome(outcome));
    } finally {
      await stack.stop();
    }
  }
  return { outcomes, skipped };
}

/** Runs the quick benchmark into `<run>/bench`; returns why it did not run (or null) and how many cells failed their audit. */
async function runQuickBench(runDir: string, seed: number, progress: Progress): Promise<{ skipped: string | null; auditFailed: number }> {
  const missing = benchSkipReason();
  if (missing !== undefined) return { skipped: missing, auditFailed: 0 };
  progress.phase("benchmark (quick, ours and baseline)");
  const { auditFailed } = await runBench({
    size: "quick",
    designs: ["ours", "baseline"],
    dashboard: false,
    seed,
    dir: join(runDir, "bench"),
    log: (line) => {
      progress.log(line);
      const cell = /^\[(\d+\/\d+)\] (\S+)\s+(.+?)\s{2,}/.exec(line);
      if (cell) progress.status(`benchmark: cell ${cell[1]} done (${cell[2]} ${cell[3]})`);
    },
  });
  return { skipped: null, auditFailed };
}

/**
 * The main job: runs every selected gate on a fresh embedded stack each, then the quick benchmark (unless told not
 * to, or k6 cannot be had: it says why), writes summary.json, junit.xml and the HTML report into reports/out/<run>/,
 * prints a summary and the report's path, and returns 0 only when every gate passed and every benchmark audit held.
 */
export async function runCommand(options: RunCommandOptions): Promise<number> {
  const seed = options.seed ?? newSeed();
  const runDir = newRunDir("run");
  const progress = new Progress();
  const gates = selectGates(options.gates);
  const target = options.remote ? `the remote environment at ${options.remote.ingressUrl}` : "the embedded stack";
  console.log(`nexus run: ${gates.length} gate${gates.length === 1 ? "" : "s"} on ${target}, seed ${seed} (replay with --seed ${seed}); output in ${runDir}`);
  try {
    const { outcomes, skipped } = await runGates(gates, options, runDir, seed, progress);
    const bench = !options.bench
      ? { skipped: "turned off (--no-bench)", auditFailed: 0 }
      : options.remote
        ? { skipped: "the benchmark runs on the embedded stack only; nexus compare measures a remote environment", auditFailed: 0 }
        : await runQuickBench(runDir, seed, progress);
    progress.stop();
    if (bench.skipped) console.log(`benchmark skipped: ${bench.skipped}`);
    const passed = outcomes.filter((o) => o.valid === true).length;
    const summary = {
      seed,
      passed,
      failed: outcomes.length - passed,
      benchAuditFailures: bench.auditFailed,
      benchSkipped: bench.skipped,
      target: options.remote ? { ingress: options.remote.ingressUrl, admin: options.remote.adminUrl, worker: options.remote.workerUrl ?? null } : "embedded",
      skipped,
      durationMs: progress.elapsedMs(),
      cores: cpus().length,
      gates: outcomes.map((o) => ({ gate: o.gate, valid: o.valid, durationMs: o.durationMs, dir: o.dir })),
    };
    await writeFile(join(runDir, "summary.json"), JSON.stringify(summary, null, 2));
    const report = await buildReport(runDir);
    await writeFile(join(runDir, "junit.xml"), junitXml(report.run));
    await linkLatest(runDir);
    console.log("\nsummary");
    for (const o of outcomes) console.log(`  ${o.valid === true ? "PASS" : "FAIL"}  ${o.gate.padEnd(22)} ${seconds(o.durationMs).padStart(7)}  ${o.title}`);
    for (const s of skipped) console.log(`  SKIP  ${s.gate.padEnd(22)} ${s.reason}`);
    if (!bench.skipped) console.log(`  ${bench.auditFailed === 0 ? "PASS" : "FAIL"}  ${"bench (quick)".padEnd(22)} every cell audited${bench.auditFailed > 0 ? `: ${bench.auditFailed} failed` : ""}`);
    console.log(`\ngates: ${summary.passed} passed, ${summary.failed} failed${skipped.length > 0 ? `, ${skipped.length} skipped` : ""} (${progress.elapsed()}); results in ${runDir}`);
    console.log(`report: ${report.path} (${Math.round(report.bytes / 1024)} KiB)   junit: ${join(runDir, "junit.xml")}`);
    return summary.failed === 0 && bench.auditFailed === 0 ? 0 : 1;
  } finally {
    progress.stop();
  }
}
