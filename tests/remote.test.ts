import { execFile } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startCloudStandIn, type CloudStandIn } from "../harness/cloud/stand-in.js";
import { ExitCode } from "../harness/system/errors.js";
import { projectRoot } from "../harness/system/paths.js";
import { newRunDir } from "../harness/store/run-dirs.js";
import { readRecordedGate } from "../harness/store/run-store.js";
import { bundleWorker } from "../harness/worker/bundle.js";
import { startWorker } from "../harness/worker/worker-process.js";

const TOKEN = `nexus-test-token-${Math.random().toString(36).slice(2, 12)}`;
/** Added per direction: a request-response through the stand-in costs 2 × this. */
const DELAY_MS = 25;
/** How far the measured p50 difference may be from 2 × DELAY_MS: the proxy's own work and scheduling noise. */
const TOLERANCE_MS = 15;

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

function nexus(args: string[], token: string | undefined): Promise<CliResult> {
  const env = { ...process.env, NEXUS_RUNTIME: undefined, RESTATE_AUTH_TOKEN: token };
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(projectRoot, "bin", "nexus.mjs"), ...args],
      { cwd: projectRoot, env, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr });
      },
    );
  });
}

/** Every file under `dir`, recursively. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** The files under `dir` and the texts that contain the token. */
function leaks(dir: string, texts: string[]): string[] {
  const inFiles = filesUnder(dir).filter((f) => readFileSync(f).includes(TOKEN));
  const inTexts = texts.filter((t) => t.includes(TOKEN)).map((t) => `printed: ${t.slice(0, 80)}…`);
  return [...inFiles, ...inTexts];
}

const runDirOf = (stdout: string, label: string) => new RegExp(`${label}: (\\S+)`).exec(stdout)?.[1];

describe("a remote target, against a local stand-in for Restate Cloud (token front + added latency)", () => {
  let cloud: CloudStandIn | undefined;
  let remoteArgs: string[] = [];

  beforeAll(async () => {
    cloud = await startCloudStandIn({ token: TOKEN, delayMs: DELAY_MS, workDir: newRunDir("test-cloud-stand-in") });
    remoteArgs = ["--remote", cloud.ingressUrl, "--remote-admin", cloud.adminUrl];
    console.log(`stand-in: ${cloud.ingressUrl} / ${cloud.adminUrl}; latency: ${cloud.latency}`);
  });

  afterAll(async () => {
    await cloud?.stop();
  });

  it("refuses a missing token (401) and a wrong one (403) with one clear line and its exit code, without hanging", async () => {
    const missing = await nexus(["compare", ...remoteArgs], undefined);
    expect(missing.code).toBe(ExitCode.authFailed);
    expect(missing.stderr).toMatch(/HTTP 401.*RESTATE_AUTH_TOKEN/);
    const wrong = await nexus(["compare", ...remoteArgs], "not-the-token");
    expect(wrong.code).toBe(ExitCode.authFailed);
    expect(wrong.stderr).toMatch(/refused the token \(HTTP 403\)/);
    expect(wrong.stderr.trim().split("\n")).toHaveLength(1);
  });

  it("nexus compare measures the injected delay: remote p50 − local p50 ≈ 2 × the delay per direction", async () => {
    const result = await nexus(["compare", ...remoteArgs], TOKEN);
    console.log(result.stdout);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/workload\s+side\s+p50/);
    const file = runDirOf(result.stdout, "compare.json");
    expect(file).toBeDefined();
    const compare = JSON.parse(readFileSync(file!, "utf8")) as {
      difference: Record<string, { p50: number }>;
      remote: { stats: Record<string, { errors: number }> };
    };
    // One call at a time, the difference is the added delay; in the open model, calls also queue behind each other on a
    // busy machine, so there it is at least the added delay.
    for (const workload of ["get", "checkout"]) {
      expect(
        Math.abs(compare.difference[workload]!.p50 - 2 * DELAY_MS),
        `${workload} p50 difference ${compare.difference[workload]!.p50} ms`,
      ).toBeLessThanOrEqual(TOLERANCE_MS);
    }
    expect(compare.difference.open!.p50, `open p50 difference ${compare.difference.open!.p50} ms`).toBeGreaterThanOrEqual(2 * DELAY_MS - TOLERANCE_MS);
    for (const workload of ["get", "checkout", "open"]) expect(compare.remote.stats[workload]!.errors).toBe(0);
    expect(leaks(join(file!, ".."), [result.stdout, result.stderr])).toEqual([]);
  });

  it("nexus run on the remote target skips the gates that kill Restate, passes the others, and writes the token nowhere", async () => {
    const result = await nexus(["run", ...remoteArgs, "--gate", "happy-path", "--gate", "bad-input", "--gate", "restate-crash", "--no-bench"], TOKEN);
    console.log(result.stdout);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/restate-crash: SKIPPED: it kills and restarts Restate/);
    expect(result.stdout).toMatch(/gates: 2 passed, 0 failed, 1 skipped/);
    const runDir = /results in (\S+)/.exec(result.stdout)?.[1];
    expect(runDir).toBeDefined();
    expect(readRecordedGate(join(runDir!, "happy-path")).spec.runtime).toBe("remote");
    const junit = /junit: (\S+)/.exec(result.stdout)?.[1];
    expect(junit !== undefined && existsSync(junit)).toBe(true);
    expect(leaks(runDir!, [result.stdout, result.stderr])).toEqual([]);
  });

  it("on a deployed Worker (--worker-url), private-api proves what the deployment exposes and the gates that need the harness's Worker skip", async () => {
    // Two Workers the harness does not manage stand for `wrangler deploy` and `wrangler deploy --env demo`.
    const workDir = newRunDir("test-deployed-worker");
    const bundle = await bundleWorker(join(workDir, "bundle"));
    const privateByDefault = await startWorker({ bundle, workDir: join(workDir, "default"), bindings: {} });
    const demo = await startWorker({ bundle, workDir: join(workDir, "demo"), bindings: { PUBLIC_DEMO_API: "true", MOCK_PAYMENT_ROUTE: "true" } });
    try {
      const run = (url: string, gates: string[]) =>
        nexus(["run", ...remoteArgs, "--worker-url", url, ...gates.flatMap((g) => ["--gate", g]), "--no-bench"], TOKEN);
      const kept = await run(privateByDefault.url, ["private-api", "happy-path"]);
      console.log(kept.stdout);
      expect(kept.code, kept.stderr).toBe(0);
      expect(kept.stdout).toMatch(/happy-path: SKIPPED: it needs the harness's own Worker/);
      expect(kept.stdout).toMatch(/gates: 1 passed, 0 failed, 1 skipped/);
      const exposed = await run(demo.url, ["private-api"]);
      console.log(exposed.stdout);
      expect(exposed.code).toBe(ExitCode.gateFailed);
      expect(exposed.stdout).toMatch(/gates: 0 passed, 1 failed/);
      expect(leaks(workDir, [kept.stdout, kept.stderr, exposed.stdout, exposed.stderr])).toEqual([]);
    } finally {
      await privateByDefault.stop();
      await demo.stop();
    }
  });
});
