import { rm, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { newRunDir, outDir } from "../../harness/paths.js";
import { newSeed } from "../../harness/random.js";
import { startStack } from "../../harness/stack.js";
import { bundleWorker } from "../../harness/worker/bundle.js";
import { describeOutcome } from "../../scenarios/describe-outcome.js";
import { runGate, stackOptionsFor, type GateOutcome } from "../../scenarios/gate.js";
import { selectGates } from "../../scenarios/index.js";

/** Options of `nexus run`. */
export interface RunCommandOptions {
  gates: string[];
  /** Seed of every random choice; the same seed replays the same schedule. */
  seed?: number;
  /** Restate runtime: "binary" (default) or "cluster". */
  runtime?: string;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** Points reports/out/latest at `dir`. */
async function linkLatest(dir: string): Promise<void> {
  const latest = join(outDir(), "latest");
  await rm(latest, { force: true, recursive: true });
  await symlink(dir, latest);
}

/**
 * The main job: bundles the Worker, runs every selected gate on a fresh embedded stack, prints each result and a
 * summary, stores everything under reports/out/<run>/, and returns 0 only when every gate passed.
 */
export async function runCommand(options: RunCommandOptions): Promise<number> {
  const gates = selectGates(options.gates);
  const seed = options.seed ?? newSeed();
  const runDir = newRunDir("run");
  const started = Date.now();
  console.log(`nexus run: ${gates.length} gates on the embedded stack, seed ${seed} (replay with --seed ${seed}); output in ${runDir}`);
  const bundle = await bundleWorker(join(runDir, "bundle"));
  console.log(`  Worker bundled (${seconds(Date.now() - started)})`);
  const outcomes: GateOutcome[] = [];
  for (const [i, gate] of gates.entries()) {
    console.log(`[${i + 1}/${gates.length}] ${gate.name}: starting a stack (${seconds(Date.now() - started)} elapsed)`);
    const stack = await startStack({ runDir: join(runDir, gate.name), bundle, runtimeName: options.runtime, ...stackOptionsFor(gate) });
    try {
      const outcome = await runGate(gate, stack, { seed, log: (message) => console.log(`[${i + 1}/${gates.length}] ${gate.name}: ${message}`) });
      outcomes.push(outcome);
      console.log(describeOutcome(outcome));
    } finally {
      await stack.stop();
    }
  }
  const passed = outcomes.filter((o) => o.valid === true).length;
  const summary = {
    seed,
    passed,
    failed: outcomes.length - passed,
    durationMs: Date.now() - started,
    gates: outcomes.map((o) => ({ gate: o.gate, valid: o.valid, durationMs: o.durationMs, dir: o.dir })),
  };
  await writeFile(join(runDir, "summary.json"), JSON.stringify(summary, null, 2));
  await linkLatest(runDir);
  console.log("\nsummary");
  for (const o of outcomes) console.log(`  ${o.valid === true ? "PASS" : "FAIL"}  ${o.gate.padEnd(22)} ${seconds(o.durationMs).padStart(7)}  ${o.title}`);
  console.log(`\ngates: ${summary.passed} passed, ${summary.failed} failed (${seconds(summary.durationMs)}); results in ${runDir}`);
  return summary.failed === 0 ? 0 : 1;
}
