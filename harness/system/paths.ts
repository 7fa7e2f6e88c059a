import { mkdirSync } from "node:fs";
import { rm, symlink } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";

/** The project's root folder (where package.json is). */
export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** tsx's ESM loader, for `node --import <it> script.ts`: how the harness runs its TypeScript child processes. */
export const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve("tsx/esm")).href;

/** Where every run writes its output: `reports/out/` (gitignored), or `NEXUS_OUT_DIR`. */
export function outDir(): string {
  return resolve(process.env.NEXUS_OUT_DIR ?? join(projectRoot, "reports", "out"));
}

/** Creates and returns a fresh directory for one run: `<out>/<prefix>-<timestamp>-<random>`. */
export function newRunDir(prefix: string): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, "").replace(/\..+/, "");
  const dir = join(outDir(), `${prefix}-${stamp}-${Math.random().toString(36).slice(2, 8)}`);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Points `<out>/latest` at `dir` (the last run of nexus run, bench or compare). */
export async function linkLatest(dir: string): Promise<void> {
  const latest = join(outDir(), "latest");
  await rm(latest, { force: true, recursive: true });
  await symlink(dir, latest);
}
