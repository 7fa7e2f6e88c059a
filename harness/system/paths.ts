import { dirname, join, resolve, sep } from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";

/** The project's root folder (where package.json is). */
export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** tsx's ESM loader, for `node --import <it> script.ts`: how the harness runs its TypeScript child processes. */
export const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve("tsx/esm")).href;

/** True when nexus runs as a package installed in another project (a team's repository), not from its own clone. */
export const installedAsPackage = projectRoot.split(sep).includes("node_modules");

/**
 * Where every run writes its output: `NEXUS_OUT_DIR`, else `reports/out/` in nexus's own clone (gitignored), else
 * `nexus-out/` in the folder it was started from when installed as a package.
 */
export function outDir(): string {
  const byDefault = installedAsPackage ? join(process.cwd(), "nexus-out") : join(projectRoot, "reports", "out");
  return resolve(process.env.NEXUS_OUT_DIR ?? byDefault);
}

/** Where the project keeps what it installs for itself (gitignored): `.nexus/`, or NEXUS_CACHE_DIR. */
export function cacheDir(): string {
  return process.env.NEXUS_CACHE_DIR ?? join(projectRoot, ".nexus");
}
