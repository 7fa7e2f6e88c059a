import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { projectRoot } from "../harness/system/paths.js";
import { BASELINE_EDITS } from "./baseline.js";

describe("the baseline variant", () => {
  it("each of its edits matches exactly one place of today's Worker", () => {
    const matches = BASELINE_EDITS.map((e) => `worker/${e.file}: ${readFileSync(join(projectRoot, "worker", e.file), "utf8").split(e.from).length - 1}`);
    expect(matches.filter((m) => !m.endsWith(": 1"))).toEqual([]);
  });
});
