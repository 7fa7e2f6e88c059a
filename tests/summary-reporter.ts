import type { Reporter, TestCase, TestModule } from "vitest/node";
import { appendStepSummary, stepSummaryMarkdown, type SummaryRow } from "../reports/step-summary.js";

type Counts = { passed: number; failed: number; skipped: number };
type State = keyof Counts;

/** What the closing line counts: a gate (its checkers' test cases together) or any other test, with its state. */
interface Judged {
  name: string;
  /** The Restate runtime of a gate ("binary default > …" → binary). */
  runtime: string | undefined;
  state: State;
  failed: TestCase[];
  gate: string | undefined;
  seed: number | undefined;
  skipReason: string | undefined;
}

const stateOf = (test: TestCase): State => {
  const state = test.result().state;
  return state === "passed" ? "passed" : state === "failed" ? "failed" : "skipped";
};

const firstLine = (text: string) => (text.split("\n").find((l) => l.trim() !== "") ?? text).trim();

/** Whether a module is one of tests/gates/'s files, whose suites are gates. */
const isGateFile = (module: TestModule) => /[\\/]tests[\\/]gates[\\/][^\\/]+\.test\.ts$/.test(module.moduleId);

/** The judged units of a module: in tests/gates/ each gate's suite (pass > gate > checker) is one; elsewhere each test. */
function judgedOf(module: TestModule): Judged[] {
  const tests = [...module.children.allTests()];
  if (!isGateFile(module)) {
    return tests.map((t) => ({
      name: t.fullName,
      runtime: undefined,
      state: stateOf(t),
      failed: stateOf(t) === "failed" ? [t] : [],
      gate: undefined,
      seed: undefined,
      skipReason: t.name,
    }));
  }
  const bySuite = new Map<string, TestCase[]>();
  for (const test of tests) {
    const key = test.parent.type === "suite" ? test.parent.fullName : test.fullName;
    bySuite.set(key, [...(bySuite.get(key) ?? []), test]);
  }
  return [...bySuite].map(([name, cases]) => {
    const states = cases.map(stateOf);
    const state: State = states.includes("failed") ? "failed" : states.every((s) => s === "skipped") ? "skipped" : "passed";
    const meta = cases.map((c) => c.meta()).find((m) => m.seed !== undefined);
    return {
      name,
      runtime: name.split(" ")[0],
      state,
      failed: cases.filter((c) => stateOf(c) === "failed"),
      gate: meta?.gate,
      seed: meta?.seed,
      skipReason: cases[0]?.name,
    };
  });
}

const line = (label: string, c: Counts) => `${label}: ${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped`;

/** Lines of an error message after its first that a failure shows (a counterexample's plans, commands and problems). */
const DETAIL_LINES = 12;

/**
 * A failed test for the tail of a CI log: a line naming it with the first line of its first error, then that error's
 * next lines (up to DETAIL_LINES), each indented with `    | `.
 */
function failureLines(test: TestCase): string[] {
  const [first = "no error recorded", ...rest] = (test.result().errors?.[0]?.message ?? "").split("\n").filter((l) => l.trim() !== "");
  const detail = rest.slice(0, DETAIL_LINES).map((l) => `    | ${l.slice(0, 300)}`);
  return [`  failed: ${test.module.moduleId.split("/").slice(-2).join("/")} > ${test.fullName}: ${first.trim().slice(0, 300)}`, ...detail];
}

/** A judged unit as a row of the step summary: its verdict, failed checkers (or first error line) or skip reason, and seed. */
function rowOf(unit: Judged): SummaryRow {
  const failed = unit.gate !== undefined ? unit.failed.map((t) => t.name).join(", ") : firstLine(unit.failed[0]?.result().errors?.[0]?.message ?? "");
  const detail = unit.state === "skipped" ? (unit.skipReason ?? "") : failed;
  return { name: unit.name, verdict: unit.state === "passed" ? "PASS" : unit.state === "failed" ? "FAIL" : "SKIP", detail, seed: unit.seed ?? null };
}

/**
 * Prints the Node version the tests run on (at the start and the end), one line per Restate runtime the gates ran on, each failed test
 * (a line, then its error's next lines indented), then the closing line CI reads:
 * `gates: N passed, N failed, N skipped`, counting each gate once (it failed when any of its checkers did) and every
 * other test once. With GITHUB_STEP_SUMMARY set, appends the same as markdown, with what did not pass and the seed
 * that replays a failed gate.
 */
export default class SummaryReporter implements Reporter {
  onInit(): void {
    console.log(`nexus: tests on Node ${process.version} (${process.execPath})`);
  }

  async onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown> = []): Promise<void> {
    const total: Counts = { passed: 0, failed: 0, skipped: 0 };
    const byRuntime = new Map<string, Counts>();
    const failures: string[] = [];
    const units: Judged[] = [];
    for (const module of testModules) {
      // A file that failed to load, or whose hooks failed (its tests then count as skipped), counts as one failure;
      // so does each suite whose own hook (beforeAll, afterAll) failed.
      if (module.errors().length > 0) {
        total.failed += 1;
        const what = [...module.children.allTests()].length === 0 ? "did not load" : "a hook failed";
        failures.push(`  failed: ${module.moduleId}: ${what}: ${firstLine(module.errors()[0]?.message ?? "")}`);
      }
      for (const suite of module.children.allSuites()) {
        if (suite.errors().length === 0) continue;
        total.failed += 1;
        failures.push(
          `  failed: ${module.moduleId.split("/").slice(-2).join("/")} > ${suite.fullName}: a hook failed: ${firstLine(suite.errors()[0]?.message ?? "").slice(0, 300)}`,
        );
      }
      for (const unit of judgedOf(module)) {
        units.push(unit);
        total[unit.state] += 1;
        failures.push(...unit.failed.flatMap(failureLines));
        if (unit.runtime === undefined) continue;
        const counts = byRuntime.get(unit.runtime) ?? { passed: 0, failed: 0, skipped: 0 };
        counts[unit.state] += 1;
        byRuntime.set(unit.runtime, counts);
      }
    }
    // An error outside every test (a global setup that threw, e.g. no Worker to bundle) is a failure too.
    for (const error of unhandledErrors) {
      total.failed += 1;
      failures.push(`  failed: outside any test: ${firstLine((error as Error)?.message ?? String(error))}`);
    }
    console.log(`\nnexus: tests ran on Node ${process.version}`);
    for (const [runtime, counts] of byRuntime) console.log(line(`  gates on ${runtime}`, counts));
    for (const failure of failures) console.log(failure);
    console.log(line("gates", total));
    const failedGate = units.find((u) => u.state === "failed" && u.seed !== undefined);
    const replay = failedGate ? `nexus run --seed ${failedGate.seed} --gate ${failedGate.gate}` : null;
    const rows = units.filter((u) => u.state !== "passed" || u.gate !== undefined).map(rowOf);
    await appendStepSummary(stepSummaryMarkdown("npm test", line("gates", total), rows, replay));
  }
}
