import junit from "junit-report-builder";
import { cellLabel } from "../benchmarks/config.js";
import type { StoredRun } from "./load-run.js";

/**
 * JUnit XML of a stored run: a suite of gates (a testcase each; a failed or unknown checker is a failure naming its
 * first problems) and, when the run has one, a suite of benchmark cells (an audit failure is a failure).
 */
export function junitXml(run: StoredRun): string {
  const builder = junit.newBuilder();
  if (run.gates.length > 0) {
    const suite = builder.testSuite().name(`nexus gates (${run.name})`);
    for (const gate of run.gates) {
      const test = suite.testCase().className(`nexus.gates.${gate.spec.runtime}`).name(`${gate.spec.gate}: ${gate.spec.title}`);
      const failed = gate.results.filter((r) => r.valid !== true);
      if (failed.length > 0) {
        const message = failed.map((r) => `${r.name} ${r.valid === false ? "failed" : "unknown"}: ${r.problems.slice(0, 3).join("; ")}`).join(" | ");
        test.failure(message.slice(0, 2000));
      }
      test.standardOutput(`seed ${gate.spec.seed}; results: ${gate.folder}/results.json`);
    }
  }
  if (run.bench !== null) {
    const suite = builder.testSuite().name(`nexus bench (${run.bench.size})`);
    for (const cell of run.bench.cells) {
      const test = suite.testCase().className(`nexus.bench.${cell.design}`).name(cellLabel(cell)).time(cell.elapsedS);
      if (!cell.audit.valid) test.failure(`audit failed: ${cell.audit.problems.slice(0, 3).join("; ")}`);
    }
  }
  return builder.build();
}
