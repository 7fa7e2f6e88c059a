// The house's floors, as the README states them, for dependency-cruiser: imports go one way, from the commands down
// to the Worker (bin → cli → jobs → {reports, benchmarks, scenarios} → harness → worker; jobs alone choose the Worker
// under test: the root's nexus-worker.ts and designs/, whose descriptions use the harness's types), and nothing forms
// a circle. `tests/unit/architecture.test.ts` runs these rules in npm test and fails on any violation; to list them:
// `npx depcruise --config .dependency-cruiser.cjs bin cli jobs reports benchmarks scenarios designs harness worker tests index.ts nexus-worker.ts`.

/** A path under any of `folders`, or one of the root's modules `files`. */
const under = (folders, files = []) => `^(${[...folders.map((f) => `${f}/`), ...files.map((f) => f.replace(".", "\\."))].join("|")})`;

/** Tests may reach across floors to check one against another; the circle rule holds them too. */
const NOT_A_TEST = "\\.test\\.ts$";

/** Everything above the reference Worker's descriptions and the harness. */
const ABOVE_HARNESS = ["bin", "cli", "jobs", "reports", "benchmarks", "scenarios", "tests"];

module.exports = {
  forbidden: [
    { name: "no-circular", comment: "modules that import each other, directly or around a loop", severity: "error", from: {}, to: { circular: true } },
    {
      name: "worker-is-the-floor",
      comment: "the reference Worker runs in workerd on its own: it imports only itself and its packages",
      severity: "error",
      from: { path: "^worker/", pathNot: NOT_A_TEST },
      to: { path: under([...ABOVE_HARNESS, "harness", "designs"], ["index.ts", "nexus-worker.ts"]) },
    },
    {
      name: "harness-below-the-worker-under-test",
      comment: "the harness is handed the Worker under test (its description) by its caller; it never reaches up for it",
      severity: "error",
      from: { path: "^harness/", pathNot: NOT_A_TEST },
      to: { path: under([...ABOVE_HARNESS, "designs"], ["index.ts", "nexus-worker.ts"]) },
    },
    {
      name: "restate-is-a-floor",
      comment: "Restate's toolbox (admin API, client, signing, live reads) uses only the base, the records and the description's types",
      severity: "error",
      from: { path: "^harness/restate/", pathNot: NOT_A_TEST },
      to: { path: "^harness/(stack|runner|runtime|nemesis|netns|checkers|store|soak|cloud)/" },
    },
    {
      name: "history-is-data",
      comment: "the history, the bookings folded from it and the final state's record: data and pure functions, no live reads",
      severity: "error",
      from: { path: "^harness/history/", pathNot: NOT_A_TEST },
      to: { path: "^harness/(restate|stack|runner|runtime|nemesis|netns|store|soak|cloud)/" },
    },
    {
      name: "stack-composes-from-above",
      comment: "startStack composes the lower parts; none of them reaches up for it",
      severity: "error",
      from: { path: "^harness/(restate|history|system|checkers|gateway|netns|runtime|worker|nemesis)/", pathNot: NOT_A_TEST },
      to: { path: "^harness/stack/" },
    },
    {
      name: "designs-describe-only",
      comment: "a design's description uses the harness's floor (types, SQL), never the parts that run gates",
      severity: "error",
      from: { path: "^designs/", pathNot: NOT_A_TEST },
      to: { path: under(ABOVE_HARNESS) },
    },
    {
      name: "scenarios-below-jobs",
      comment: "gates, model, fuzz kinds and the mutant catalogue: data used by jobs and tests, run by the harness; the Worker under test is handed to them",
      severity: "error",
      from: { path: "^scenarios/", pathNot: NOT_A_TEST },
      to: { path: under(["bin", "cli", "jobs", "reports", "benchmarks", "tests", "designs"], ["index.ts", "nexus-worker.ts"]) },
    },
    {
      name: "benchmarks-below-jobs",
      comment: "the benchmark is handed the Worker it measures (and the baseline's description) by its job",
      severity: "error",
      from: { path: "^benchmarks/", pathNot: NOT_A_TEST },
      to: { path: under(["bin", "cli", "jobs", "reports", "tests", "designs"], ["index.ts", "nexus-worker.ts"]) },
    },
    {
      name: "reports-read-the-store",
      comment: "reports are built from the run store alone",
      severity: "error",
      from: { path: "^reports/", pathNot: NOT_A_TEST },
      to: { path: `${under(["bin", "cli", "jobs", "benchmarks", "scenarios", "designs", "tests", "worker"])}|^harness/(?!store/)` },
    },
    {
      name: "jobs-below-cli",
      severity: "error",
      from: { path: "^jobs/", pathNot: NOT_A_TEST },
      to: { path: under(["bin", "cli", "tests"]) },
    },
    {
      name: "cli-parses-only",
      comment: "the CLI parses arguments and calls jobs/ (and the harness's base, harness/system: errors, durations, paths)",
      severity: "error",
      from: { path: "^cli/", pathNot: NOT_A_TEST },
      to: { path: `${under(["scenarios", "benchmarks", "reports", "designs", "worker"], ["index.ts", "nexus-worker.ts"])}|^harness/(?!system/)` },
    },
  ],
  options: {
    // TypeScript 7 has no JavaScript API dependency-cruiser can use yet: swc parses the sources.
    parser: "swc",
    tsPreCompilationDeps: true,
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^(node_modules|reports/out|\\.nexus)/" },
  },
};
