import { cp, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { NexusError } from "../system/errors.js";
import { outDir, projectRoot } from "../system/paths.js";
import { bundleWorker, type WorkerBundle } from "./bundle.js";
import { readWorkerConfig } from "./worker-config.js";

/** An exact replacement in one file under worker/: `from` must occur exactly once. */
export interface SourceEdit {
  file: string;
  from: string;
  to: string;
}

function occurrences(text: string, part: string): number {
  return part === "" ? 0 : text.split(part).length - 1;
}

/**
 * Copies worker/ and wrangler.toml under reports/out/.build/variants/<name>/ (with a nexus-worker.ts that is the
 * reference Worker's), applies `edits` to the copy (the real worker/ is never touched) and bundles it. An edit whose
 * text is not found exactly once is an error: a variant that silently stopped applying would measure or prove nothing.
 */
export async function buildVariant(name: string, edits: SourceEdit[]): Promise<WorkerBundle> {
  const root = join(outDir(), ".build", "variants", name);
  await cp(join(projectRoot, "worker"), join(root, "worker"), { recursive: true });
  await cp(join(projectRoot, "wrangler.toml"), join(root, "wrangler.toml"));
  // The variant's seats are laid out as the reference Worker's, so its folder is a Worker project `--worker` can name.
  await writeFile(join(root, "nexus-worker.ts"), `export { default } from ${JSON.stringify(join(projectRoot, "nexus-worker.ts"))};\n`);
  for (const edit of edits) {
    const path = join(root, "worker", edit.file);
    const source = await readFile(path, "utf8");
    const found = occurrences(source, edit.from);
    if (found !== 1) {
      throw new NexusError("usage", `variant ${name} no longer applies: its edit of worker/${edit.file} matches ${found} places, expected 1`);
    }
    await writeFile(path, source.replace(edit.from, edit.to));
  }
  return bundleWorker(join(root, "bundle"), await readWorkerConfig(join(root, "wrangler.toml")));
}
