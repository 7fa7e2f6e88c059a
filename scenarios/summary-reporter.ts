import type { Reporter, TestModule } from "vitest/node";

/** Prints the closing line CI reads: `gates: N passed, N failed, N skipped` (every test of the run counts). */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const counts = { passed: 0, failed: 0, skipped: 0 };
    for (const module of testModules) {
      // A file that failed to load has no tests to count: it counts as one failure.
      if (module.errors().length > 0 && [...module.children.allTests()].length === 0) counts.failed += 1;
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === "passed") counts.passed += 1;
        else if (state === "failed") counts.failed += 1;
        else counts.skipped += 1;
      }
    }
    console.log(`\ngates: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
  }
}
