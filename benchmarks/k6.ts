import { execFile, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { delimiter, join } from "node:path";
import { NexusError } from "../harness/system/errors.js";
import { projectRoot } from "../harness/system/paths.js";

/** The k6 the project builds when none is found: module and version (the v2 module is not listed by the Go proxy here). */
export const K6_MODULE = "go.k6.io/k6";
export const K6_VERSION = "v1.8.1";

/** Where the project keeps what it builds for itself (gitignored): `.nexus/`, or NEXUS_CACHE_DIR. */
export function cacheDir(): string {
  return process.env.NEXUS_CACHE_DIR ?? join(projectRoot, ".nexus");
}

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    const candidate = join(dir, name);
    if (dir && existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** The cached build's path. */
function cachedK6(): string {
  return join(cacheDir(), "k6", K6_VERSION, "k6");
}

/** A k6 binary without building: K6_BIN, else `k6` on PATH, else the project's cached build; undefined when none. */
export function findK6(): string | undefined {
  if (process.env.K6_BIN) return process.env.K6_BIN;
  return onPath("k6") ?? (existsSync(cachedK6()) ? cachedK6() : undefined);
}

/** Why benchmarks cannot run here (no k6 and no Go to build it), in one line that says how to fix it; else undefined. */
export function k6Missing(): string | undefined {
  if (findK6() !== undefined || onPath("go") !== undefined) return undefined;
  return "no k6 and no Go to build it: install Go (>= 1.25) or set K6_BIN to a k6 binary to enable the benchmarks";
}

/**
 * Why the benchmark cannot run here (one line saying how to enable it), for the caller to skip with; undefined when
 * it can. Under CI=true a missing k6 is a failure: it throws instead.
 */
export function benchSkipReason(): string | undefined {
  const missing = k6Missing();
  if (missing !== undefined && process.env.CI === "true") throw new NexusError("binaryMissing", missing);
  return missing;
}

/**
 * A k6 binary: found (K6_BIN, PATH, cache), or built once with `go install` into the project's cache, with a
 * progress line and the time it took. Never downloads a binary.
 */
export async function ensureK6(log: (line: string) => void): Promise<string> {
  const found = findK6();
  if (found) return found;
  const go = onPath("go");
  if (!go) throw new NexusError("binaryMissing", k6Missing()!);
  const bin = join(cacheDir(), "k6", K6_VERSION);
  await mkdir(bin, { recursive: true });
  const started = Date.now();
  log(`building k6 ${K6_VERSION} with Go into ${bin} (once; a few minutes, downloads its modules)…`);
  const env = {
    ...process.env,
    GOBIN: bin,
    CGO_ENABLED: "0",
    GOMODCACHE: process.env.GOMODCACHE ?? join(cacheDir(), "go", "mod"),
    GOCACHE: process.env.GOCACHE ?? join(cacheDir(), "go", "build"),
  };
  const output: string[] = [];
  const code = await new Promise<number | null>((resolve) => {
    const child = spawn(go, ["install", `${K6_MODULE}@${K6_VERSION}`], { env, stdio: ["ignore", "pipe", "pipe"] });
    child.stdout.on("data", (c: Buffer) => output.push(c.toString()));
    child.stderr.on("data", (c: Buffer) => output.push(c.toString()));
    const ticker = setInterval(() => log(`  still building k6 (${Math.round((Date.now() - started) / 1000)} s)…`), 30_000);
    child.once("exit", (c) => {
      clearInterval(ticker);
      resolve(c);
    });
  });
  if (code !== 0 || !existsSync(cachedK6())) {
    throw new NexusError("binaryMissing", `building k6 failed (go install exit ${code}): ${output.join("").trim().split("\n").slice(-3).join(" | ")}; set K6_BIN to a k6 binary instead`);
  }
  log(`k6 built in ${Math.round((Date.now() - started) / 1000)} s`);
  return cachedK6();
}

/** The version line of a k6 binary. */
export async function k6Version(path: string): Promise<string> {
  return new Promise((resolve) => execFile(path, ["version"], (error, stdout) => resolve(error ? "unknown" : stdout.trim().split("\n")[0] ?? "unknown")));
}
