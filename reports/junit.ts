import junit from "junit-report-builder";
import { cellLabel } from "../harness/store/records.js";
import { resultsFileOf, type StoredRun } from "../harness/store/run-store.js";
import { runVerdict } from "../harness/store/verdict.js";

/**
 * JUnit XML of a stored run: a suite per gate with a test case per checker (failed or unknown is a failure naming its
 * first problems; a checker the Worker could not take is skipped), a suite of the gates the target or Worker skipped,
 * and, when the run has one, a suite of benchmark cells (an audit failure is a failure; a cell whose figures cannot be
 * trusted passes with the reason in its output). The run's one verdict is the first suite's `verdict` property.
 */
export function junitXml(run: StoredRun): string {
  const builder = junit.newBuilder();
  const verdict = runVerdict(run);
  for (const gate of run.gates) {
    const suite = builder
      .testSuite()
      .name(`nexus gate ${gate.spec.gate} (${gate.spec.runtime}): ${gate.spec.title}`)
      .property("seed", String(gate.spec.seed))
      .property("verdict", verdict.headline);
    for (const result of gate.results) {
      const test = suite.testCase().className(`nexus.gates.${gate.spec.gate}`).name(result.name);
      if (result.valid !== true)
        test.failure(`${result.name} ${result.valid === false ? "failed" : "could not decide"}: ${result.problems.slice(0, 3).join("; ")}`.slice(0, 2000));
      test.standardOutput(`seed ${gate.spec.seed}; results: ${resultsFileOf(gate.folder)}`);
    }
    for (const skipped of gate.skippedCheckers)
      suite.testCase().className(`nexus.gates.${gate.spec.gate}`).name(skipped.name).skipped().standardOutput(skipped.reason);
  }
  if (run.skipped.length > 0) {
    const suite = builder.testSuite().name("nexus gates skipped").property("verdict", verdict.headline);
    for (const skipped of run.skipped) suite.testCase().className("nexus.gates.skipped").name(skipped.gate).skipped().standardOutput(skipped.reason);
  }
  if (run.bench !== null) {
    const suite = builder.testSuite().name(`nexus bench (${run.bench.size})`).property("verdict", verdict.headline);
    for (const cell of run.bench.cells) {
      const test = suite.testCase().className(`nexus.bench.${cell.design}`).name(cellLabel(cell)).time(cell.elapsedS);
      if (!cell.audit.valid) test.failure(`audit failed: ${cell.audit.problems.slice(0, 3).join("; ")}`);
      else if (!cell.valid)
        test.standardOutput(`unmeasured: ${cell.droppedIterations} iterations dropped (the machine could not keep the rate); the audit held`);
    }
  }
  return builder.build();
}
