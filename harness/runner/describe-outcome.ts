import { verdictWord } from "../system/colour.js";
import { resultsFileOf } from "../store/run-store.js";
import type { GateOutcome } from "./gate.js";

const mark = (valid: true | false | "unknown") => (valid === true ? "PASS" : valid === false ? "FAIL" : "UNKNOWN");

/** A gate's outcome as text: one line per checker (and per checker left out, with why), and the first problems of each one that did not pass. */
export function describeOutcome(outcome: GateOutcome, maxProblems = 8): string {
  const lines = [`${verdictWord(mark(outcome.valid))} ${outcome.gate} (${(outcome.durationMs / 1000).toFixed(1)} s, seed ${outcome.seed}): ${outcome.title}`];
  for (const result of outcome.results) {
    const stats = Object.entries(result.stats)
      .map(([k, v]) => `${k}=${v}`)
      .join(" ");
    lines.push(`  ${verdictWord(mark(result.valid)).padEnd(7)} ${result.name}${stats ? ` [${stats}]` : ""}`);
    for (const problem of result.problems.slice(0, maxProblems)) lines.push(`          - ${problem}`);
    if (result.problems.length > maxProblems) lines.push(`          … and ${result.problems.length - maxProblems} more (see ${resultsFileOf(outcome.dir)})`);
  }
  for (const skipped of outcome.skippedCheckers) lines.push(`  ${verdictWord("SKIP").padEnd(7)} ${skipped.name}: ${skipped.reason}`);
  return lines.join("\n");
}
