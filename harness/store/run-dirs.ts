import { mkdirSync } from "node:fs";
import { rm, symlink } from "node:fs/promises";
import { join } from "node:path";
import { outDir } from "../system/paths.js";

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
