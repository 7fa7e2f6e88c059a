import { defineConfig } from "vitest/config";

/** The gates' files and the tests built on nexus's commands: two run at once (two cores), each on stacks of its own. */
const LANES = 2;

export default defineConfig({
  test: {
    pool: "forks",
    // A gate file whose passes NEXUS_TEST_PASSES or NEXUS_TEST_GATES leave out (or a Worker without other designs) registers nothing.
    passWithNoTests: true,
    // junit: CI systems list every gate from reports/out/junit.xml.
    reporters: ["default", "junit", "./tests/summary-reporter.ts"],
    outputFile: { junit: "reports/out/junit.xml" },
    projects: [
      {
        test: {
          name: "unit",
          sequence: { groupOrder: 0 },
          maxWorkers: LANES,
          include: [
            "cli/*.test.ts",
            "harness/**/*.test.ts",
            "worker/**/*.test.ts",
            "benchmarks/**/*.test.ts",
            "reports/*.test.ts",
            "scenarios/fuzz/*.test.ts",
            "scenarios/mutants/*.test.ts",
            "tests/unit/*.test.ts",
          ],
          // Nothing here is timed either: some tests start processes (the CLI's, dependency-cruiser, wrangler's config
          // reader) that share the two cores, and the bound only stops a hang.
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: "gates",
          sequence: { groupOrder: 1 },
          maxWorkers: LANES,
          include: ["tests/gates/*.test.ts", "tests/*.test.ts"],
          // It measures a latency difference to 15 ms: it runs alone, after the lanes (the "timed" project).
          exclude: ["tests/remote.test.ts"],
          globalSetup: ["tests/global-setup.ts"],
          // Nothing here is timed; the bounds only stop a hang.
          testTimeout: 600_000,
          hookTimeout: 180_000,
        },
      },
      {
        test: {
          name: "timed",
          sequence: { groupOrder: 2 },
          maxWorkers: 1,
          include: ["tests/remote.test.ts"],
          testTimeout: 600_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
