import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { projectRoot } from "../../harness/system/paths.js";

describe("the code's form (Biome)", () => {
  it("is formatted and lint-clean as biome.json says (npx biome check --write . mends what it can)", () => {
    const biome = spawnSync(join(projectRoot, "node_modules", ".bin", "biome"), ["ci", "--error-on-warnings", "--colors=off", "--max-diagnostics=20", "."], {
      cwd: projectRoot,
      encoding: "utf8",
    });
    expect(biome.error).toBeUndefined();
    expect(biome.status, `${biome.stdout}${biome.stderr}`).toBe(0);
  });
});
