import { expectations } from "../history/history.js";
import { Findings, type Checker } from "./checker.js";

/**
 * The faults the workload planned really happened: for each `expect faults {fault, min}`, the completed nemesis ops of
 * that fault hit at least `min` targets in total. A fault run whose faults silently did not happen cannot pass.
 */
export const faultsApplied: Checker = {
  name: "faults-applied",
  check(history) {
    const found = new Findings();
    const stats: Record<string, number> = {};
    for (const { fault, min } of expectations(history, "faults") as Array<{ fault: string; min: number }>) {
      const hit = history
        .filter((op) => op.process === "nemesis" && op.type === "ok" && op.value.fault === fault)
        .reduce((sum, op) => sum + Number(op.value.targets ?? 0), 0);
      stats[fault] = hit;
      if (hit < min) found.add(`fault ${fault} hit ${hit} targets, the workload planned at least ${min}`);
    }
    return found.result(stats);
  },
};
