import { execFile, spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { delimiter, join } from "node:path";
import { fileURLToPath } from "node:url";
import { NexusError } from "../harness/system/errors.js";
import { cacheDir } from "../harness/system/paths.js";

/** The pinned Locust and everything it installs (one `name==version` a line). */
const REQUIREMENTS = fileURLToPath(new URL("./locust/requirements.txt", import.meta.url));

/** The Locust version the project installs. */
export const LOCUST_VERSION = /^locust==(\S+)$/m.exec(readFileSync(REQUIREMENTS, "utf8"))?.[1] ?? "unknown";

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    const candidate = join(dir, name);
    if (dir && existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** The project's virtual environment for Locust, and the marker written once its install completed. */
function venvDir(): string {
  return join(cacheDir(), "locust", LOCUST_VERSION);
}
const installedMarker = () => join(venvDir(), "nexus-installed");
const cachedLocust = () => join(venvDir(), "bin", "locust");

/** A Locust executable without installing: LOCUST_BIN, else the project's installed one; undefined when none. */
export function findLocust(): string | undefined {
  if (process.env.LOCUST_BIN) return process.env.LOCUST_BIN;
  return existsSync(installedMarker()) && existsSync(cachedLocust()) ? cachedLocust() : undefined;
}

/** Runs `command args` and resolves with its exit code and output (stdout and stderr together). */
function run(command: string, args: string[], onTick?: () => void): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const output: string[] = [];
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, PIP_DISABLE_PIP_VERSION_CHECK: "1" } });
    child.stdout.on("data", (c: Buffer) => output.push(c.toString()));
    child.stderr.on("data", (c: Buffer) => output.push(c.toString()));
    const ticker = onTick ? setInterval(onTick, 15_000) : undefined;
    child.once("error", (error) => output.push(String(error)));
    child.once("close", (code) => {
      clearInterval(ticker);
      resolve({ code, output: output.join("") });
    });
  });
}

/** Whether `python3 -m venv` can make an environment with pip here (Debian splits venv into python3-venv). */
async function venvWorks(python: string): Promise<boolean> {
  const { code } = await run(python, ["-c", "import venv, ensurepip"]);
  return code === 0;
}

/**
 * Why the benchmark cannot get its load engine here, in one line that says how to fix it; undefined when Locust is
 * installed or can be (Python 3 with venv).
 */
export async function locustMissing(): Promise<string | undefined> {
  if (findLocust() !== undefined) return undefined;
  const python = onPath("python3");
  if (!python) return "no Python 3 to install Locust into: install python3 and python3-venv (Debian), or set LOCUST_BIN to a locust executable";
  if (!(await venvWorks(python)))
    return "Python 3 has no venv module to install Locust into: install python3-venv (Debian), or set LOCUST_BIN to a locust executable";
  return undefined;
}

/**
 * Why the benchmark cannot run here (one line saying how to enable it), for the caller to skip with; undefined when
 * it can. Under CI=true a missing engine is a failure: it throws instead.
 */
export async function benchSkipReason(): Promise<string | undefined> {
  const missing = await locustMissing();
  if (missing !== undefined && process.env.CI === "true") throw new NexusError("binaryMissing", missing);
  return missing;
}

/**
 * A Locust executable: LOCUST_BIN, the project's installed one, or installed once now into a virtual environment in
 * the project's cache from the package index (the pinned requirements), with a progress line and the time it took.
 */
export async function ensureLocust(log: (line: string) => void): Promise<string> {
  const found = findLocust();
  if (found) return found;
  const missing = await locustMissing();
  if (missing) throw new NexusError("binaryMissing", missing);
  const dir = venvDir();
  const started = Date.now();
  const tick = () => log(`  still installing Locust (${Math.round((Date.now() - started) / 1000)} s)…`);
  log(`installing Locust ${LOCUST_VERSION} into a virtual environment in ${dir} (once; about 15 s)…`);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const venv = await run(onPath("python3")!, ["-m", "venv", dir]);
  const pip = venv.code === 0 ? await run(join(dir, "bin", "pip"), ["install", "--quiet", "--no-input", "--requirement", REQUIREMENTS], tick) : venv;
  if (pip.code !== 0 || !existsSync(cachedLocust())) {
    const last = pip.output.trim().split("\n").slice(-3).join(" | ");
    throw new NexusError("binaryMissing", `installing Locust failed (exit ${pip.code}): ${last}; set LOCUST_BIN to a locust executable instead`);
  }
  await writeFile(installedMarker(), `${LOCUST_VERSION}\n`);
  log(`Locust installed in ${Math.round((Date.now() - started) / 1000)} s`);
  return cachedLocust();
}

/** The version of a Locust executable and of the Python it runs on, e.g. "2.47.0 (Python 3.11.7)"; "unknown" when it does not say. */
export async function locustVersion(path: string): Promise<string> {
  return new Promise((resolve) =>
    execFile(path, ["--version"], (error, stdout) => {
      const match = /locust (\S+).*(\(Python [^)]+\))/.exec(stdout);
      resolve(error || !match ? "unknown" : `${match[1]} ${match[2]}`);
    }),
  );
}
