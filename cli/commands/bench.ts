import { runBench } from "../../benchmarks/bench.js";
import type { Cell } from "../../benchmarks/config.js";

/** Options of `nexus bench`. */
export interface BenchCommandOptions {
  size: "smoke" | "quick" | "full";
  design: "ours" | "baseline" | "both";
  dashboard: boolean;
}

/** Runs the benchmark and prints a row per cell, the ratios and the path of bench.json; non-zero when a cell's audit failed. */
export async function benchCommand(options: BenchCommandOptions): Promise<number> {
  const designs: Array<Cell["design"]> = options.design === "both" ? ["ours", "baseline"] : [options.design];
  const { path, invalid } = await runBench({ size: options.size, designs, dashboard: options.dashboard, log: (line) => console.log(line) });
  console.log(`\nbench.json: ${path}${invalid > 0 ? ` (${invalid} cells INVALID: audit failed or iterations dropped)` : ""}`);
  return invalid === 0 ? 0 : 1;
}
