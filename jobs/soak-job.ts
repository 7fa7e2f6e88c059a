import { cpus } from "node:os";
import { basename, relative } from "node:path";
import { verdictWord } from "../harness/system/colour.js";
import { ExitCode } from "../harness/system/errors.js";
import { linkLatest, newRunDir } from "../harness/store/run-dirs.js";
import { Progress, seconds } from "../harness/system/progress.js";
import { newSeed } from "../harness/system/random.js";
import { describeOutcome } from "../harness/runner/describe-outcome.js";
import { runGates } from "../harness/runner/run-gates.js";
import { DEFAULT_THRESHOLDS } from "../harness/soak/judge.js";
import { soakRecordOf } from "../harness/soak/soak-result.js";
import { writeSummary } from "../harness/store/run-store.js";
import { answeredPeriods, countsLine, mibLine, writeSoak, writeSoakHtml, type SoakRecord, type SoakThresholds } from "../harness/store/soak-record.js";
import { prepareWorker, resolveWorker, workerLabel, type WorkerChoice } from "../harness/worker/worker-under-test.js";
import { renderSoakReport } from "../reports/soak-report.js";
import { defaultNemesisEvery, soakGate } from "../scenarios/soak.js";

/** Options of `nexus soak`. */
export interface SoakJobOptions {
  durationMs: number;
  /** Checkouts started per second. */
  rate: number;
  /** Time between faults (default: a twelfth of the run, from 10 s to 60 s). */
  nemesisEveryMs?: number;
  sampleEveryMs?: number;
  /** Latency window (default 30 s). */
  windowMs?: number;
  seed?: number;
  thresholds?: Partial<SoakThresholds>;
  runtime?: string;
  worker?: WorkerChoice;
  workerEnv?: Record<string, string>;
  runDir?: string;
}

/** The soak's figures for the terminal: bookings, faults, memory per process, latency per window. */
function printRecord(record: SoakRecord): void {
  const b = record.bookings;
  console.log(
    `\nbookings: ${b.launched} (${b.ok} ok, ${b.fail} refused, ${b.unknown} without a definite answer) in ${b.attempts} attempts; ${b.droppedArrivals} arrivals dropped`,
  );
  console.log(`faults: ${countsLine(record.faults) || "none"}`);
  console.log("memory (MiB first → last of what is judged; slope over the second half):");
  for (const s of record.slopes) {
    console.log(
      `  ${verdictWord(s.offends ? "FAIL" : "PASS")}  ${`${s.judgedAs} ${s.subject}: ${s.measure}`.padEnd(50)} ${String(s.firstMiB).padStart(7)} → ${String(s.lastMiB).padEnd(7)} ${s.slopeMiBPerMin ?? "–"} MiB/min (${s.projectedGrowthMiB ?? "–"} MiB within its longest life; limits ${s.maxSlopeMiBPerMin} MiB/min, ${s.minGrowthMiB} MiB; ${s.samples} samples, ${s.incarnations} li${s.incarnations === 1 ? "fe" : "ves"})`,
    );
  }
  const r = record.recovery;
  console.log(
    `Restate's recovery: ready ${r.restarts.map((x) => `${(x.readyMs / 1000).toFixed(1)}`).join(", ") || "–"} s after its restarts (median ${r.medianReadyMs ?? "–"} ms, max ${r.maxReadyMs ?? "–"} ms, limit ${record.thresholds.maxRestateReadyMs} ms)${r.offends ? " TOO SLOW" : ""}; ${r.attempts} attempts in flight meanwhile (p99 ${r.p99Ms ?? "–"} ms), left out of the windows below`,
  );
  if (record.periods.length > 1) {
    console.log(
      "per 5 minutes: ok/refused, p50/p99 ms, faults, Restate's ready time (s), the most the Worker's isolate, each host process and Restate's block cache held (MiB):",
    );
    for (const p of answeredPeriods(record.periods)) {
      console.log(
        `  ${String(p.startMs / 60_000).padStart(3)}–${String(Math.round(p.endMs / 60_000)).padEnd(3)} ${p.ok}/${p.fail}  ${p.p50Ms ?? "–"}/${p.p99Ms ?? "–"}  ${countsLine(p.faults) || "no faults"}; ready ${p.restateReadyMs.map((ms) => (ms / 1000).toFixed(1)).join(", ") || "–"}; isolate ${p.maxLiveHeapMiB ?? "–"} + wasm ${p.maxWasmMiB ?? "–"}; RSS ${mibLine(p.maxRssMiB)}; block cache ${p.maxBlockCacheMiB ?? "–"}`,
      );
    }
  }
  console.log(`latency of definite answers per ${record.options.windowMs / 1000} s window (p50 / p99 ms):`);
  console.log(`  ${record.windows.map((w) => `${w.p50Ms ?? "–"}/${w.p99Ms ?? "–"}`).join("  ")}`);
  const d = record.drift;
  console.log(
    `p99 drift: first ${d.firstP99Ms ?? "–"} ms, last ${d.lastP99Ms ?? "–"} ms (×${d.factor ?? "–"}, ${d.eligible} windows of ${d.windowMs / 1000} s judged)${d.offends ? " DRIFTED" : ""}`,
  );
  const failed = record.checkers.filter((c) => c.valid !== true);
  console.log(
    `checkers: ${record.checkers.length - failed.length} of ${record.checkers.length} passed${failed.length > 0 ? `; ${failed.map((c) => `${c.name}: ${c.problems[0] ?? c.valid}`).join("; ")}` : ""}`,
  );
}

/**
 * `nexus soak`: runs the soak gate on a fresh stack through the gate runner (so its spec, history, final state and
 * checker results are stored as a gate's), judges memory, latency and checkers, writes soak.json and soak.html in
 * the run folder, prints the figures and the verdict, and returns the exit code (0 only for PASS).
 */
export async function soakJob(options: SoakJobOptions): Promise<number> {
  const seed = options.seed ?? newSeed();
  // The Worker's config is checked before the run folder exists, so a Worker nexus cannot run leaves nothing behind.
  const chosen = await resolveWorker(options.worker, (line) => console.log(`nexus: ${line}`));
  const runDir = options.runDir ?? newRunDir("soak");
  const thresholds = { ...DEFAULT_THRESHOLDS, ...options.thresholds };
  const nemesisEveryMs = options.nemesisEveryMs ?? defaultNemesisEvery(options.durationMs);
  const run = {
    durationMs: options.durationMs,
    rate: options.rate,
    nemesisEveryMs,
    sampleEveryMs: options.sampleEveryMs ?? 5_000,
    windowMs: options.windowMs ?? 30_000,
    seed,
  };
  const progress = new Progress();
  try {
    console.log(
      `nexus soak: ${run.rate} checkouts/s for ${seconds(run.durationMs)} with the Worker ${workerLabel(chosen)}, seed ${seed} (replay with --seed ${seed}); output in ${runDir}`,
    );
    const prepared = await prepareWorker(chosen, `${runDir}/bundle`);
    const soak = soakGate({ ...run, progressEveryMs: 15_000 });
    const { outcomes, skipped } = await runGates([soak.gate], {
      runDir,
      worker: prepared,
      runtimeName: options.runtime,
      workerEnv: options.workerEnv,
      seed,
      onEvent: (event) => {
        if (event.kind === "log") progress.log(`soak: ${event.message}`);
        else if (event.kind === "started") progress.phase("soak: starting the stack");
        else if (event.kind === "finished") progress.log(describeOutcome(event.outcome));
      },
    });
    progress.stop();
    const outcome = outcomes[0];
    if (outcome === undefined) {
      console.log(`${verdictWord("NOTHING JUDGED")}: the soak cannot run here: ${skipped[0]?.reason ?? "it was skipped"}`);
      return ExitCode.gateFailed;
    }
    const record = soakRecordOf({
      options: run,
      thresholds,
      wallMs: progress.elapsedMs(),
      figures: soak.figures(),
      history: outcome.history,
      results: outcome.results,
      gateFolder: relative(runDir, outcome.dir),
    });
    await writeSummary(runDir, {
      seed,
      passed: outcome.valid === true ? 1 : 0,
      failed: outcome.valid === true ? 0 : 1,
      skipped,
      bench: { skipped: "a soak runs no benchmark", auditFailed: 0, unmeasured: 0 },
      target: "embedded",
      worker: prepared.description.name,
      durationMs: progress.elapsedMs(),
      cores: cpus().length,
      gates: [{ gate: outcome.gate, valid: outcome.valid, durationMs: outcome.durationMs, dir: outcome.dir }],
    });
    const jsonPath = await writeSoak(runDir, record);
    const htmlPath = await writeSoakHtml(runDir, await renderSoakReport(record, basename(runDir)));
    await linkLatest(runDir);
    printRecord(record);
    console.log(`\nsoak: ${seconds(record.wallMs)} wall; figures ${jsonPath}; report ${htmlPath}`);
    const colon = record.verdict.headline.indexOf(":");
    console.log(`${verdictWord(record.verdict.headline.slice(0, colon))}${record.verdict.headline.slice(colon)}`);
    return record.verdict.status === "pass" ? ExitCode.ok : ExitCode.gateFailed;
  } finally {
    progress.stop();
  }
}
