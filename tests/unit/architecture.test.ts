import { mkdtemp, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { cruise, type IViolation } from "dependency-cruiser";
import extractDepcruiseOptions from "dependency-cruiser/config-utl/extract-depcruise-options";
import { describe, expect, it } from "vitest";
import { projectRoot } from "../../harness/system/paths.js";

/** Every folder and root module of the house, as the rules in .dependency-cruiser.cjs judge them. */
const HOUSE = ["bin", "cli", "jobs", "reports", "benchmarks", "scenarios", "designs", "harness", "worker", "tests", "index.ts", "nexus-worker.ts"];

/** Cruises `paths` under `baseDir` with the house's rules; `known` violations are kept with severity "ignore". */
async function cruiseWithRules(baseDir: string, paths: string[], known: IViolation[] = []) {
  const options = await extractDepcruiseOptions(join(projectRoot, ".dependency-cruiser.cjs"));
  const { output } = await cruise(paths, { ...options, baseDir, validate: true, knownViolations: known });
  if (typeof output === "string") throw new Error("dependency-cruiser returned text, not a result");
  return output.summary;
}

const describeViolation = (v: IViolation) => `${v.rule.name}: ${v.from} → ${v.to}${v.cycle ? ` (circle: ${v.cycle.map((c) => c.name).join(" → ")})` : ""}`;

describe("the house's import rules (dependency-cruiser)", () => {
  it("no import runs up a floor or closes a circle, beyond the known violations, and each known one is still there", async () => {
    const known = JSON.parse(await readFile(join(projectRoot, ".dependency-cruiser-known-violations.json"), "utf8")) as IViolation[];
    const summary = await cruiseWithRules(projectRoot, HOUSE, known);
    const found = summary.violations.filter((v) => v.rule.severity !== "ignore");
    expect(found.map(describeViolation), "new violations: mend them (README: imports go one way)").toEqual([]);
    expect(
      summary.ignore,
      "a known violation was mended: regenerate .dependency-cruiser-known-violations.json (its command is in .dependency-cruiser.cjs)",
    ).toBe(known.length);
  });

  it("fails on a new violation: the harness reaching up for a job, and two modules importing each other", async () => {
    const house = await mkdtemp(join(tmpdir(), "nexus-house-"));
    try {
      const files: Record<string, string> = {
        "jobs/run-job.ts": "export const job = 1;\n",
        "harness/runner/probe.ts": 'import { job } from "../../jobs/run-job.js";\nexport const probe = job;\n',
        "harness/history/a.ts": 'import { b } from "./b.js";\nexport const a = () => b;\n',
        "harness/history/b.ts": 'import { a } from "./a.js";\nexport const b = () => a;\n',
      };
      for (const [path, text] of Object.entries(files)) {
        await mkdir(dirname(join(house, path)), { recursive: true });
        await writeFile(join(house, path), text);
      }
      const summary = await cruiseWithRules(house, ["jobs", "harness"]);
      expect(new Set(summary.violations.map((v) => v.rule.name))).toEqual(new Set(["harness-below-the-worker-under-test", "no-circular"]));
    } finally {
      await rm(house, { recursive: true, force: true });
    }
  });
});
