import { dirname } from "node:path";
import { describeCell, describeComparisons, describeProfile, runBench } from "../benchmarks/bench.js";
import { DEFAULT_DESIGNS, DESIGNS, type Design } from "../benchmarks/config.js";
import type { WorkersPrices } from "../benchmarks/cost.js";
import { benchSkipReason } from "../benchmarks/locust.js";
import { NexusError } from "../harness/system/errors.js";
import { runVerdict } from "../harness/store/verdict.js";
import { resolveWorker, type WorkerChoice } from "../harness/worker/worker-under-test.js";
import reference from "../nexus-worker.js";
import { buildReport } from "../reports/build-report.js";
import { exitCodeOfVerdict, headlineLine } from "./exit.js";

/** Options of `nexus bench`. */
export interface BenchJobOptions {
  size: "smoke" | "quick" | "full";
  designs: Design[];
  dashboard: boolean;
  /** Locust worker processes per cell; default 1 (one standalone process). */
  instances?: number;
  only?: string;
  seed?: number;
  /** The Worker whose designs are measured (default: NEXUS_WORKER, NEXUS_WORKER_BUNDLE, else the reference Worker). */
  worker?: WorkerChoice;
  /** Cloudflare Workers prices for each cell's cost of 1,000 confirmed bookings (default: the published Standard prices). */
  prices?: WorkersPrices;
  /** Record a CPU profile of the Worker in every measured cell, and say where a Worker request's CPU went. */
  profile?: boolean;
  /** Restate server settings on top of its defaults (the headline figures use the defaults). */
  restateEnv?: Record<string, string>;
}

/** The designs `text` names: "default" (saga, seat-owned, baseline), "all", or a comma list; anything else is a usage error. */
export function designsOf(text: string): Design[] {
  if (text === "default") return DEFAULT_DESIGNS;
  if (text === "all") return [...DESIGNS];
  const names = text.split(",").map((d) => d.trim());
  const unknown = names.filter((d) => !(DESIGNS as readonly string[]).includes(d));
  if (unknown.length > 0 || names.length === 0) throw new NexusError("usage", `--design takes default, all, or a list of ${DESIGNS.join(", ")}; not "${text}"`);
  return names as Design[];
}

/**
 * Runs the benchmark, prints a row per cell, the ratios, the paths of bench.json and the HTML report, and the run's
 * verdict (a failed audit fails it; dropped iterations only mark a cell unmeasured: a slow machine is not a failure).
 * Without Python 3 to install Locust into it skips with the reason (a failure under CI=true).
 */
export async function benchJob(options: BenchJobOptions): Promise<number> {
  const missing = await benchSkipReason();
  if (missing !== undefined) {
    console.log(`nexus bench: skipped: ${missing}`);
    return 0;
  }
  const worker = await resolveWorker(options.worker, (line) => console.log(`nexus: ${line}`));
  const { path, bench } = await runBench({
    size: options.size,
    designs: options.designs,
    dashboard: options.dashboard,
    instances: options.instances,
    only: options.only,
    seed: options.seed,
    worker,
    baseline: reference,
    prices: options.prices,
    profile: options.profile,
    restateEnv: options.restateEnv,
    onEvent: (event) => {
      if (event.kind === "log") return console.log(event.message);
      console.log(`[${event.index + 1}/${event.total}] ${describeCell(event.result)}`);
      for (const line of describeProfile(event.result)) console.log(line);
    },
  });
  for (const line of describeComparisons(bench)) console.log(line);
  const report = await buildReport(dirname(path));
  console.log(`\nbench.json: ${path}`);
  console.log(`report: ${report.path}`);
  const verdict = runVerdict(report.run);
  console.log(headlineLine(verdict));
  return exitCodeOfVerdict(verdict);
}
