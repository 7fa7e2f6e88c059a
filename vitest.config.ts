import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    pool: "forks",
    // Two cores: one stack at a time, one test file at a time.
    fileParallelism: false,
    // junit: CI systems list every gate from reports/out/junit.xml.
    reporters: ["default", "junit", "./tests/summary-reporter.ts"],
    outputFile: { junit: "reports/out/junit.xml" },
    projects: [
      {
        test: {
          name: "unit",
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
        },
      },
      {
        test: {
          name: "gates",
          include: ["tests/*.test.ts"],
          globalSetup: ["tests/global-setup.ts"],
          // Nothing here is timed; the bounds only stop a hang.
          testTimeout: 600_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
