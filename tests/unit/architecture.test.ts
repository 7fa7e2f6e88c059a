import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { cruise, type IViolation } from "dependency-cruiser";
import extractDepcruiseOptions from "dependency-cruiser/config-utl/extract-depcruise-options";
import { describe, expect, it } from "vitest";
import { projectRoot } from "../../harness/system/paths.js";

/** Every folder and root module of the house, as the rules in .dependency-cruiser.cjs judge them. */
const HOUSE = ["bin", "cli", "jobs", "reports", "benchmarks", "scenarios", "designs", "harness", "worker", "tests", "index.ts", "nexus-worker.ts"];

/** Cruises `paths` under `baseDir` with the house's rules. */
async function cruiseWithRules(baseDir: string, paths: string[]) {
  const options = await extractDepcruiseOptions(join(projectRoot, ".dependency-cruiser.cjs"));
  const { output } = await cruise(paths, { ...options, baseDir, validate: true });
  if (typeof output === "string") throw new Error("dependency-cruiser returned text, not a result");
  return output.summary;
}

const describeViolation = (v: IViolation) => `${v.rule.name}: ${v.from} → ${v.to}${v.cycle ? ` (circle: ${v.cycle.map((c) => c.name).join(" → ")})` : ""}`;

describe("the house's import rules (dependency-cruiser)", () => {
  it("no import runs up a floor or closes a circle", async () => {
    const summary = await cruiseWithRules(projectRoot, HOUSE);
    expect(summary.violations.map(describeViolation), "mend them (README: imports go one way)").toEqual([]);
  });

  it("fails on a violation: the harness reaching up for a job, a benchmark for the reference Worker, two modules importing each other", async () => {
    const house = await mkdtemp(join(tmpdir(), "nexus-house-"));
    try {
      const files: Record<string, string> = {
        "jobs/run-job.ts": "export const job = 1;\n",
        "nexus-worker.ts": "export default { name: 'reference' };\n",
        "benchmarks/probe.ts": 'import reference from "../nexus-worker.js";\nexport const probe = reference;\n',
        "harness/runner/probe.ts": 'import { job } from "../../jobs/run-job.js";\nexport const probe = job;\n',
        "harness/history/a.ts": 'import { b } from "./b.js";\nexport const a = () => b;\n',
        "harness/history/b.ts": 'import { a } from "./a.js";\nexport const b = () => a;\n',
      };
      for (const [path, text] of Object.entries(files)) {
        await mkdir(dirname(join(house, path)), { recursive: true });
        await writeFile(join(house, path), text);
      }
      const summary = await cruiseWithRules(house, ["jobs", "harness", "benchmarks", "nexus-worker.ts"]);
      expect(new Set(summary.violations.map((v) => v.rule.name))).toEqual(
        new Set(["harness-below-the-worker-under-test", "benchmarks-below-jobs", "no-circular"]),
      );
    } finally {
      await rm(house, { recursive: true, force: true });
    }
  });
});
