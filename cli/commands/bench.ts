import { dirname } from "node:path";
import { runBench } from "../../benchmarks/bench.js";
import { DESIGNS, type Design } from "../../benchmarks/config.js";
import { NexusError } from "../../harness/errors.js";
import { benchSkipReason } from "../../harness/k6.js";
import { buildReport } from "../../reports/build-report.js";

/** Options of `nexus bench`. */
export interface BenchCommandOptions {
  size: "smoke" | "quick" | "full";
  /** "both" (ours and baseline), "all", or a comma list of ours, ours-bidi, baseline. */
  design: string;
  dashboard: boolean;
  only?: string;
  seed?: number;
}

function designsOf(text: string): Design[] {
  if (text === "both") return ["ours", "baseline"];
  if (text === "all") return [...DESIGNS];
  const names = text.split(",").map((d) => d.trim());
  const unknown = names.filter((d) => !(DESIGNS as readonly string[]).includes(d));
  if (unknown.length > 0 || names.length === 0) throw new NexusError("usage", `--design takes both, all, or a list of ${DESIGNS.join(", ")}; not "${text}"`);
  return names as Design[];
}

/**
 * Runs the benchmark, prints a row per cell, the ratios, and the paths of bench.json and the HTML report; non-zero
 * when a cell's audit failed (dropped iterations only mark a cell invalid: a slow machine is not a failure). Without
 * k6 and Go it skips with the reason (a failure under CI=true).
 */
export async function benchCommand(options: BenchCommandOptions): Promise<number> {
  const designs = designsOf(options.design);
  const missing = benchSkipReason();
  if (missing !== undefined) {
    console.log(`nexus bench: skipped: ${missing}`);
    return 0;
  }
  const { path, invalid, auditFailed } = await runBench({ size: options.size, designs, dashboard: options.dashboard, only: options.only, seed: options.seed, log: (line) => console.log(line) });
  const report = await buildReport(dirname(path));
  console.log(`\nbench.json: ${path}${invalid > 0 ? ` (${invalid} cells INVALID: audit failed or iterations dropped)` : ""}`);
  console.log(`report: ${report.path}`);
  return auditFailed === 0 ? 0 : 1;
}
