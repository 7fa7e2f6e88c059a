import { cp, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { NexusError } from "../../harness/errors.js";
import { outDir, projectRoot } from "../../harness/paths.js";
import { bundleWorker, type WorkerBundle } from "../../harness/worker/bundle.js";
import type { Mutant } from "./catalogue.js";

function occurrences(text: string, part: string): number {
  return part === "" ? 0 : text.split(part).length - 1;
}

/**
 * Copies worker/ and wrangler.toml under reports/out/.build/mutants/<name>/, applies the mutant's edits to the copy
 * (the real worker/ is never touched) and bundles it. An edit whose text is not found exactly once is an error:
 * a mutant that silently stopped applying would prove nothing.
 */
export async function buildMutant(mutant: Mutant): Promise<WorkerBundle> {
  const root = join(outDir(), ".build", "mutants", mutant.name);
  await cp(join(projectRoot, "worker"), join(root, "worker"), { recursive: true });
  await cp(join(projectRoot, "wrangler.toml"), join(root, "wrangler.toml"));
  for (const edit of mutant.edits) {
    const path = join(root, "worker", edit.file);
    const source = await readFile(path, "utf8");
    const found = occurrences(source, edit.from);
    if (found !== 1) {
      throw new NexusError("usage", `mutant ${mutant.name} no longer applies: its edit of worker/${edit.file} matches ${found} places, expected 1; update scenarios/mutants/catalogue.ts`);
    }
    await writeFile(path, source.replace(edit.from, edit.to));
  }
  return bundleWorker(join(root, "bundle"), join(root, "wrangler.toml"));
}
