import type { Reporter, TestCase, TestModule } from "vitest/node";
import { appendStepSummary, stepSummaryMarkdown, type SummaryRow } from "../reports/step-summary.js";

type Counts = { passed: number; failed: number; skipped: number };

/** The runtime a gate test ran on: the first word of its top-level describe ("binary default" → binary). */
function runtimeOf(test: TestCase): string | undefined {
  let suite = test.parent;
  while (suite.type === "suite" && suite.parent.type === "suite") suite = suite.parent;
  return suite.type === "suite" && test.module.moduleId.endsWith("gates.test.ts") ? suite.name.split(" ")[0] : undefined;
}

const line = (label: string, c: Counts) => `${label}: ${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped`;

/** One line naming a failed test and the first line of its first error, e.g. for the tail of a CI log. */
function failureLine(test: TestCase): string {
  const message = test.result().errors?.[0]?.message ?? "no error recorded";
  const firstLine = message.split("\n").find((l) => l.trim() !== "") ?? message;
  return `  failed: ${test.module.moduleId.split("/").slice(-2).join("/")} > ${test.fullName}: ${firstLine.trim().slice(0, 300)}`;
}

/** A test as a row of the step summary: its verdict, failed checkers (or first error line) or skip reason, and seed. */
function rowOf(test: TestCase, key: keyof Counts): SummaryRow {
  const meta = test.meta();
  const error = test.result().errors?.[0]?.message?.split("\n").find((l) => l.trim() !== "") ?? "";
  const detail = key === "skipped" ? test.name : meta.failedCheckers?.length ? meta.failedCheckers.join(", ") : key === "failed" ? error.trim() : "";
  return { name: test.fullName, verdict: key === "passed" ? "PASS" : key === "failed" ? "FAIL" : "SKIP", detail, seed: meta.seed ?? null };
}

/**
 * Prints one line per Restate runtime the gates ran on, one line per failed test, then the closing line CI reads,
 * over every test of the run: `gates: N passed, N failed, N skipped`; with GITHUB_STEP_SUMMARY set, appends the same
 * as markdown, with the tests that did not pass and the seed that replays each gate.
 */
export default class SummaryReporter implements Reporter {
  async onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown> = []): Promise<void> {
    const rows: SummaryRow[] = [];
    const total: Counts = { passed: 0, failed: 0, skipped: 0 };
    const byRuntime = new Map<string, Counts>();
    const failures: string[] = [];
    for (const module of testModules) {
      // A file that failed to load has no tests to count: it counts as one failure.
      if (module.errors().length > 0 && [...module.children.allTests()].length === 0) {
        total.failed += 1;
        failures.push(`  failed: ${module.moduleId}: did not load: ${module.errors()[0]?.message ?? ""}`);
      }
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        const key = state === "passed" ? "passed" : state === "failed" ? "failed" : "skipped";
        total[key] += 1;
        if (key === "failed") failures.push(failureLine(test));
        if (key !== "passed" || test.meta().seed !== undefined) rows.push(rowOf(test, key));
        const runtime = runtimeOf(test);
        if (runtime === undefined) continue;
        const counts = byRuntime.get(runtime) ?? { passed: 0, failed: 0, skipped: 0 };
        counts[key] += 1;
        byRuntime.set(runtime, counts);
      }
    }
    // An error outside every test (a global setup that threw, e.g. no Worker to bundle) is a failure too.
    for (const error of unhandledErrors) {
      total.failed += 1;
      failures.push(`  failed: outside any test: ${(error as Error)?.message?.split("\n")[0] ?? String(error)}`);
    }
    console.log("");
    for (const [runtime, counts] of byRuntime) console.log(line(`  gates on ${runtime}`, counts));
    for (const failure of failures) console.log(failure);
    console.log(line("gates", total));
    const failedGate = testModules.flatMap((m) => [...m.children.allTests()]).find((t) => t.result().state === "failed" && t.meta().seed !== undefined);
    const replay = failedGate ? `nexus run --seed ${failedGate.meta().seed} --gate ${failedGate.meta().gate}` : null;
    await appendStepSummary(stepSummaryMarkdown("npm test", line("gates", total), rows, replay));
  }
}
