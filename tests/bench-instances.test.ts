import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runBench } from "../benchmarks/bench.js";
import { k6EnvOf, type Cell } from "../benchmarks/config.js";
import { benchSkipReason, ensureK6 } from "../benchmarks/k6.js";
import type { CellResult } from "../benchmarks/run-cell.js";
import { mergeSummaries, readSamples, type K6Summary } from "../benchmarks/k6-samples.js";
import { executionSegments, segmentArgs } from "../benchmarks/segments.js";
import { startCloudStandIn } from "../harness/cloud/stand-in.js";
import { registerDeployment, waitUntilServed } from "../harness/stack/admin.js";
import { useBearerToken } from "../harness/stack/auth.js";
import { ExitCode } from "../harness/system/errors.js";
import { newRunDir, projectRoot } from "../harness/system/paths.js";
import { startWorker } from "../harness/worker/worker-process.js";
import { workerUnderTest } from "./worker-under-test.js";

// One cell split across k6 processes on execution segments measures what one k6 measures, and a distributed run
// against a remote Restate (here the stand-in) can be audited afterwards from Restate's state alone.
const skip = benchSkipReason();
const SEED = 42;
/** A closed model: 20 users × 2 rounds on one seat each round, so its request count is fixed whatever splits it. */
const ONLY = "hot-seat u20 s1 fast";
const SCRIPT = fileURLToPath(new URL("../benchmarks/k6/booking.js", import.meta.url));
const TOKEN = `nexus-test-token-${Math.random().toString(36).slice(2, 12)}`;

async function measured(instances: number): Promise<{ cell: CellResult; k6Instances?: number; dir: string }> {
  const worker = await workerUnderTest();
  const dir = newRunDir(`test-bench-k6x${instances}`);
  const { path } = await runBench({ size: "smoke", designs: ["seat-owned"], dashboard: false, only: ONLY, seed: SEED, dir, worker, k6Instances: instances, log: (line) => console.log(line) });
  const bench = JSON.parse(readFileSync(path, "utf8")) as { cells: CellResult[]; k6Instances?: number };
  expect(bench.cells).toHaveLength(1);
  return { cell: bench.cells[0]!, k6Instances: bench.k6Instances, dir };
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(command: string, args: string[], env: Record<string, string | undefined>): Promise<Run> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd: projectRoot, env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

describe.skipIf(skip !== undefined)(`a benchmark cell split across k6 instances${skip ? ` (skipped: ${skip})` : ""}`, () => {
  it("1 and 2 k6 instances of the same closed-model cell make the same requests, confirm the same and pass the same audit", async () => {
    const one = await measured(1);
    const two = await measured(2);
    for (const { cell } of [one, two]) console.log(`requests ${cell.requests}, confirmed ${cell.confirmed}, 409 ${cell.conflicts}, 402 ${cell.declines}, errors ${cell.errors}, p50/p99 ${cell.p50Ms}/${cell.p99Ms} ms, ${cell.elapsedS} s, audit ${JSON.stringify(cell.audit)}`);
    expect(one.k6Instances).toBeUndefined();
    expect(two.k6Instances).toBe(2);
    // Each of the two k6 processes ran its own half: 10 of the 20 users, 20 of the 40 checkouts.
    for (const n of [0, 1]) {
      const part = JSON.parse(readFileSync(join(two.dir, `cell-0-k6-${n}-summary.json`), "utf8")) as K6Summary;
      expect(part.metrics.http_reqs?.values.count, `instance ${n}`).toBe(20);
    }
    expect(one.cell.requests).toBe(40);
    expect(two.cell.requests).toBe(one.cell.requests);
    expect(two.cell.confirmed).toBe(one.cell.confirmed);
    expect(one.cell.confirmed).toBe(2);
    for (const { cell } of [one, two]) {
      expect(cell.confirmed + cell.conflicts + cell.declines + cell.errors).toBe(cell.requests);
      expect(cell.audit).toEqual({ valid: true, problems: [] });
      expect(cell.p99Ms).toBeGreaterThan(0);
    }
  });

  it("booking.js runs as a k6 operator or cloud instance would (env only, two segments, a token) against the stand-in, and nexus audit judges the run from Restate's state", async () => {
    const k6 = await ensureK6((line) => console.log(line));
    const workDir = newRunDir("test-distributed-audit");
    const cloud = await startCloudStandIn({ token: TOKEN, delayMs: 0, workDir: join(workDir, "restate") });
    const worker = await startWorker({ bundle: (await workerUnderTest()).bundle, workDir: join(workDir, "worker"), bindings: { SIMULATED_PAYMENT_DELAY_MS: "0" } });
    try {
      useBearerToken(cloud.adminUrl, TOKEN);
      useBearerToken(cloud.ingressUrl, TOKEN);
      const deployment = await registerDeployment(cloud.adminUrl, worker.url);
      await waitUntilServed([cloud.ingressUrl], deployment.services);
      const prefix = `dist-${Math.random().toString(36).slice(2, 8)}-`;
      const cell: Cell = { design: "seat-owned", workload: "hot-seat", users: 20, seats: 1, rounds: 2, durationS: 0, gateway: "fast" };
      // What a TestRun with parallelism 2 or k6 cloud run starts: the script and its environment, nothing of the harness.
      const env = { ...k6EnvOf(cell, cloud.ingressUrl, prefix, SEED), RESTATE_AUTH_TOKEN: TOKEN, K6_NO_USAGE_REPORT: "true", NEXUS_SUMMARY: undefined };
      const instances = await Promise.all(executionSegments(2).map((segment) => run(k6, ["run", "--quiet", "--no-color", "--address", "", ...segmentArgs(segment), SCRIPT], env)));
      let confirmed = 0;
      let requests = 0;
      for (const instance of instances) {
        expect(instance.code, instance.stderr).toBe(0);
        const line = /(\d+) requests, (\d+) confirmed/.exec(instance.stdout);
        expect(line, instance.stdout).not.toBeNull();
        requests += Number(line![1]);
        confirmed += Number(line![2]);
      }
      expect(requests).toBe(40);
      const audit = (n: number, token: string | undefined) =>
        run(process.execPath, [join(projectRoot, "bin", "nexus.mjs"), "audit", "--remote", cloud.ingressUrl, "--remote-admin", cloud.adminUrl, "--prefix", prefix, "--confirmed", String(n)], { RESTATE_AUTH_TOKEN: token });
      const ok = await audit(confirmed, TOKEN);
      console.log(ok.stdout);
      expect(ok.code, ok.stderr).toBe(ExitCode.ok);
      expect(ok.stdout).toContain(`audit ok: ${confirmed} seats SOLD`);
      expect(ok.stdout).toMatch(/seats of the run: 2 \(2 SOLD/);
      expect(ok.stdout).toMatch(/not proven from Restate's state alone: .*charged exactly once/);
      const wrongCount = await audit(confirmed + 1, TOKEN);
      expect(wrongCount.code).toBe(ExitCode.gateFailed);
      expect(wrongCount.stdout).toContain(`clients were told ${confirmed + 1} bookings confirmed, but ${confirmed} seats are SOLD`);
      const noToken = await audit(confirmed, undefined);
      expect(noToken.code).toBe(ExitCode.authFailed);
      expect(ok.stdout + ok.stderr + wrongCount.stdout).not.toContain(TOKEN);

      // The merge computes percentiles as k6 does: on one unsplit k6, its raw samples give its own summary's figures.
      const summaryPath = join(workDir, "unsplit-summary.json");
      const samplesPath = join(workDir, "unsplit-samples.json");
      const unsplit = await run(k6, ["run", "--quiet", "--no-color", "--out", `json=${samplesPath}`, SCRIPT], { ...env, NEXUS_PREFIX: `${prefix}u-`, NEXUS_SUMMARY: summaryPath });
      expect(unsplit.code, unsplit.stderr).toBe(0);
      const own = JSON.parse(readFileSync(summaryPath, "utf8")) as K6Summary;
      const merged = mergeSummaries([own], await readSamples([samplesPath]));
      for (const trend of ["http_req_duration{name:checkout}", "refused_duration", "confirmed_duration"]) {
        for (const stat of ["med", "p(90)", "p(99)", "max"]) expect(merged.metrics[trend]?.values[stat], `${trend} ${stat}`).toBeCloseTo(own.metrics[trend]!.values[stat]!, 6);
      }
      expect(merged.metrics.http_reqs?.values.count).toBe(40);
    } finally {
      await worker.stop();
      await cloud.stop();
    }
  });
});
