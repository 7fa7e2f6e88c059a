import { mergeVerdicts } from "../checkers/checker.js";
import type { StoredRun } from "./run-store.js";

/** A run's one verdict, as the terminal, the exit code, the report's banner, JUnit and the step summary all state it. */
export interface RunVerdict {
  /** pass: everything that ran passed; fail: a gate failed or a cell's audit did; unknown: a gate could not be judged; empty: nothing was judged. */
  status: "pass" | "fail" | "unknown" | "empty";
  /** One line: the status and the counts behind it, e.g. "PASS: 13 of 13 gates passed, 1 skipped; 30 of 30 cells audited valid". */
  headline: string;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/**
 * The verdict of a stored run. Gates: any failed is fail, else any unknown is unknown. Benchmark cells: a failed audit
 * is fail; a cell whose figures cannot be trusted (an open-model cell that dropped iterations: the machine could not
 * keep the rate) is reported as unmeasured and fails nothing, since a slow machine is not a bug. A run that judged
 * nothing (every gate skipped, no benchmark) is empty, which is not a pass.
 */
export function runVerdict(run: StoredRun): RunVerdict {
  const gateVerdict = mergeVerdicts(run.gates.map((g) => g.valid));
  const passed = run.gates.filter((g) => g.valid === true).length;
  const cells = run.bench?.cells ?? [];
  const auditFailed = cells.filter((c) => !c.audit.valid).length;
  const unmeasured = cells.filter((c) => c.audit.valid && !c.valid).length;
  const parts: string[] = [];
  if (run.gates.length > 0 || run.skipped.length > 0) {
    parts.push(`${passed} of ${plural(run.gates.length, "gate")} passed${run.skipped.length > 0 ? `, ${run.skipped.length} skipped` : ""}`);
  }
  if (cells.length > 0)
    parts.push(
      `${cells.length - auditFailed} of ${plural(cells.length, "benchmark cell")} audited valid${unmeasured > 0 ? ` (${unmeasured} unmeasured: iterations dropped)` : ""}`,
    );
  if (run.compare !== null) parts.push("latency compared");
  const judged = run.gates.length > 0 || cells.length > 0 || run.compare !== null;
  const status = !judged ? "empty" : gateVerdict === false || auditFailed > 0 ? "fail" : gateVerdict === "unknown" ? "unknown" : "pass";
  const word = { pass: "PASS", fail: "FAIL", unknown: "UNKNOWN", empty: "NOTHING JUDGED" }[status];
  return { status, headline: `${word}: ${parts.length > 0 ? parts.join("; ") : "no gate ran and no benchmark was measured"}` };
}
