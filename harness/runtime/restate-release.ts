// A restate-server release other than the one npm installed (e.g. the release an upgrade starts from): fetched once
// from the npm registry, Restate's own platform package, into the project's cache.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rename, rm } from "node:fs/promises";
import { arch, platform } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { isReleaseVersion } from "../restate/versions.js";
import { NexusError } from "../system/errors.js";
import { cacheDir } from "../system/paths.js";
import { restateBinary } from "./binary-runtime.js";
import type { RestateBinary } from "./runtime.js";

const run = promisify(execFile);

/** Restate's npm package of the server binary for this machine. */
const platformPackage = () => `@restatedev/restate-server-${platform()}-${arch()}`;

/** Where release `version`'s binary is kept once fetched. */
const releaseDir = (version: string) => join(cacheDir(), "restate-server", version);

/**
 * The restate-server binary of release `version` for this platform: the installed one when it is that release, else
 * the project's cached copy, else fetched once now with `npm pack` from the registry npm is configured with (one
 * progress line through `log`). Throws a NexusError saying what failed and what to do.
 */
export async function restateRelease(version: string, log: (line: string) => void): Promise<RestateBinary> {
  if (!isReleaseVersion(version)) throw new NexusError("usage", `"${version}" is not a Restate release: give one like 1.6.2`);
  const installed = restateBinary();
  if (installed.version === version) return installed;
  const path = join(releaseDir(version), "restate-server");
  if (existsSync(path)) return { path, version };
  const pkg = `${platformPackage()}@${version}`;
  const started = Date.now();
  log(`fetching restate-server ${version} (${pkg}) from the npm registry into ${releaseDir(version)} (once; about 70 MB)…`);
  await mkdir(join(cacheDir(), "restate-server"), { recursive: true });
  const work = await mkdtemp(join(cacheDir(), "restate-server", `.${version}-`));
  try {
    const packed = await run("npm", ["pack", pkg, "--pack-destination", work, "--loglevel=error"], { cwd: work, maxBuffer: 1 << 20 });
    const tarball = packed.stdout.trim().split("\n").pop()!;
    await run("tar", ["-xzf", join(work, tarball), "-C", work]);
    const binary = join(work, "package", "bin", "restate-server");
    if (!existsSync(binary)) throw new Error(`${tarball} holds no package/bin/restate-server`);
    await mkdir(join(work, "release"));
    await rename(binary, join(work, "release", "restate-server"));
    // The folder appears whole or not at all; another process that fetched the same release first keeps its copy.
    await rename(join(work, "release"), releaseDir(version)).catch((error: Error) => {
      if (!existsSync(path)) throw error;
    });
  } catch (error) {
    const said = ((error as { stderr?: string }).stderr || (error as Error).message).trim().split("\n");
    const detail = said
      .filter((line) => !/complete log|^npm error code/.test(line))
      .slice(0, 2)
      .join(" | ");
    throw new NexusError(
      "binaryMissing",
      `could not fetch restate-server ${version} (${pkg}): ${detail}; check that npm reaches its registry (npm config get registry) and try again`,
    );
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  log(`restate-server ${version} fetched in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return { path, version };
}
