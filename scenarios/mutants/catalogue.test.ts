import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { projectRoot } from "../../harness/system/paths.js";
import { MUTANTS } from "./catalogue.js";

describe("the mutant catalogue", () => {
  it("names each mutant once, and each edit matches exactly one place of today's Worker", () => {
    expect(new Set(MUTANTS.map((m) => m.name)).size).toBe(MUTANTS.length);
    const matches = MUTANTS.flatMap((m) =>
      m.edits.map((e) => `${m.name}, worker/${e.file}: ${readFileSync(join(projectRoot, "worker", e.file), "utf8").split(e.from).length - 1}`),
    );
    expect(matches.filter((m) => !m.endsWith(": 1"))).toEqual([]);
  });
});
