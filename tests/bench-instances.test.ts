import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import getPort from "get-port";
import { describe, expect, it } from "vitest";
import { describeCell, runBench } from "../benchmarks/bench.js";
import { loadEnvOf, type Cell } from "../benchmarks/config.js";
import { readLoadSummary, trendStats } from "../benchmarks/load-summary.js";
import { benchSkipReason, ensureLocust } from "../benchmarks/locust.js";
import type { CellResult } from "../benchmarks/run-cell.js";
import { startCloudStandIn } from "../harness/cloud/stand-in.js";
import { registerDeployment, waitUntilServed } from "../harness/restate/admin.js";
import { useBearerToken } from "../harness/restate/auth.js";
import { LOOPBACK } from "../harness/system/ports.js";
import { ExitCode } from "../harness/system/errors.js";
import { ManagedProcess } from "../harness/system/process.js";
import { projectRoot } from "../harness/system/paths.js";
import { newRunDir } from "../harness/store/run-dirs.js";
import { startWorker } from "../harness/worker/worker-process.js";
import reference from "../nexus-worker.js";
import { workerUnderTest } from "./worker-under-test.js";

// One cell split across Locust worker processes measures what one process measures, and a distributed run against a
// remote Restate (here the stand-in) can be audited afterwards from Restate's state alone.
const skip = await benchSkipReason();
const SEED = 42;
/** A closed model: 20 users × 2 rounds on one seat each round, so its request count is fixed whatever splits it. */
const ONLY = "hot-seat u20 s1 fast";
const SCRIPT = fileURLToPath(new URL("../benchmarks/locust/booking.py", import.meta.url));
const TOKEN = `nexus-test-token-${Math.random().toString(36).slice(2, 12)}`;

async function measured(instances: number): Promise<{ cell: CellResult; instances?: number; dir: string }> {
  const worker = await workerUnderTest();
  const dir = newRunDir(`test-bench-x${instances}`);
  const { path } = await runBench({
    size: "smoke",
    designs: ["seat-owned"],
    dashboard: false,
    only: ONLY,
    seed: SEED,
    dir,
    worker,
    baseline: reference,
    instances,
    onEvent: (event) => console.log(event.kind === "log" ? event.message : describeCell(event.result)),
  });
  const bench = JSON.parse(readFileSync(path, "utf8")) as { cells: CellResult[]; instances?: number };
  expect(bench.cells).toHaveLength(1);
  return { cell: bench.cells[0]!, instances: bench.instances, dir };
}

interface Run {
  code: number | null;
  output: string;
}

/** Runs `command args` with `env` on top of this process's environment; stdout and stderr together. */
function run(command: string, args: string[], env: Record<string, string | undefined>): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: projectRoot, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (c: Buffer) => (output += c.toString()));
    child.stderr.on("data", (c: Buffer) => (output += c.toString()));
    child.once("close", (code) => resolve({ code, output }));
  });
}

/** Starts a Locust process the harness stops whatever happens; `done` resolves with its exit code and everything it printed. */
function locustProcess(
  locust: string,
  name: string,
  args: string[],
  env: Record<string, string>,
  logPath: string,
): { process: ManagedProcess; done: Promise<Run> } {
  let output = "";
  const started = ManagedProcess.start({ name, command: locust, args, env, logPath, cwd: projectRoot, onLine: (line) => (output += `${line}\n`) });
  return { process: started, done: started.exited.then(({ code }) => ({ code, output })) };
}

describe.skipIf(skip !== undefined)(`a benchmark cell split across Locust workers${skip ? ` (skipped: ${skip})` : ""}`, () => {
  it("1 and 2 Locust workers of the same closed-model cell make the same requests, confirm the same and pass the same audit", async () => {
    const one = await measured(1);
    const two = await measured(2);
    for (const { cell } of [one, two])
      console.log(
        `requests ${cell.requests}, confirmed ${cell.confirmed}, 409 ${cell.conflicts}, 402 ${cell.declines}, errors ${cell.errors}, p50/p99 ${cell.p50Ms}/${cell.p99Ms} ms, ${cell.elapsedS} s, cpu ${JSON.stringify(cell.cpu)}, audit ${JSON.stringify(cell.audit)}`,
      );
    expect(one.instances).toBeUndefined();
    expect(two.instances).toBe(2);
    // Each of the two workers ran its own half: 10 of the 20 simulated users.
    const log = readFileSync(join(two.dir, "cell-0-locust.log"), "utf8");
    expect(log).toContain("nexus: share 1 of 2 started (10 simulated users)");
    expect(log).toContain("nexus: share 2 of 2 started (10 simulated users)");
    expect(readLoadSummary(join(two.dir, "cell-0-summary.json")).shares).toBe(2);
    expect(one.cell.requests).toBe(40);
    expect(two.cell.requests).toBe(one.cell.requests);
    expect(two.cell.confirmed).toBe(one.cell.confirmed);
    expect(one.cell.confirmed).toBe(2);
    for (const { cell } of [one, two]) {
      expect(cell.confirmed + cell.conflicts + cell.declines + cell.errors).toBe(cell.requests);
      expect(cell.audit).toEqual({ valid: true, problems: [] });
      expect(cell.p99Ms).toBeGreaterThan(0);
      expect(cell.cpu.locust, "the load engine's CPU is measured").toBeGreaterThan(0);
    }
  });

  it("booking.py runs under Locust's own distributed mode (a master and two workers, env only, a token) against the stand-in, and nexus audit judges the run from Restate's state", async () => {
    const locust = await ensureLocust((line) => console.log(line));
    const workDir = newRunDir("test-distributed-audit");
    const cloud = await startCloudStandIn({ token: TOKEN, delayMs: 0, workDir: join(workDir, "restate") });
    const worker = await startWorker({
      bundle: (await workerUnderTest()).bundle,
      workDir: join(workDir, "worker"),
      bindings: { SIMULATED_PAYMENT_DELAY_MS: "0" },
    });
    const processes: ManagedProcess[] = [];
    try {
      useBearerToken(cloud.adminUrl, TOKEN);
      useBearerToken(cloud.ingressUrl, TOKEN);
      const deployment = await registerDeployment(cloud.adminUrl, worker.url);
      await waitUntilServed([cloud.ingressUrl], deployment.services);
      const prefix = `dist-${Math.random().toString(36).slice(2, 8)}-`;
      const cell: Cell = { design: "seat-owned", workload: "hot-seat", users: 20, seats: 1, rounds: 2, durationS: 0, gateway: "fast" };
      // What Locust's Helm chart or operator starts: a master and workers, the file and its environment, nothing of the harness.
      const summaryPath = join(workDir, "summary.json");
      const env = { ...loadEnvOf(cell, cloud.ingressUrl, prefix, SEED), RESTATE_AUTH_TOKEN: TOKEN };
      const port = String(await getPort({ host: LOOPBACK }));
      const common = ["-f", SCRIPT, "--loglevel", "WARNING"];
      const masterArgs = [
        "--master",
        "--master-bind-host",
        LOOPBACK,
        "--master-bind-port",
        port,
        "--expect-workers",
        "2",
        "--headless",
        "-u",
        "2",
        "-r",
        "2",
        "-t",
        "300s",
        "--only-summary",
        "--exit-code-on-error",
        "0",
      ];
      const started = [
        locustProcess(locust, "locust master", [...common, ...masterArgs], { ...env, NEXUS_SUMMARY: summaryPath }, join(workDir, "master.log")),
        ...[1, 2].map((n) =>
          locustProcess(
            locust,
            `locust worker ${n}`,
            [...common, "--worker", "--master-host", LOOPBACK, "--master-port", port],
            env,
            join(workDir, `worker-${n}.log`),
          ),
        ),
      ];
      processes.push(...started.map((p) => p.process));
      const [ran, ...workersRan] = await Promise.all(started.map((p) => p.done));
      expect(ran!.code, ran!.output).toBe(0);
      for (const w of workersRan) expect(w.code, w.output).toBe(0);
      const line = /nexus hot-seat prefix \S+: (\d+) requests, (\d+) confirmed.*, 2 shares\n {2}requests: p50 (\d+) ms, p90 \d+ ms, p99 (\d+) ms/.exec(
        ran!.output,
      );
      expect(line, ran!.output).not.toBeNull();
      const [requests, confirmed] = [Number(line![1]), Number(line![2])];
      expect(requests).toBe(40);
      // The master merged both workers' exact samples: its printed percentiles are the harness's own of the union.
      const summary = readLoadSummary(summaryPath);
      expect(summary.samples.requests).toHaveLength(40);
      const stats = trendStats(summary.samples.requests);
      expect([Math.round(stats.p50), Math.round(stats.p99)]).toEqual([Number(line![3]), Number(line![4])]);

      const audit = (n: number, token: string | undefined) =>
        run(
          process.execPath,
          [
            join(projectRoot, "bin", "nexus.mjs"),
            "audit",
            "--remote",
            cloud.ingressUrl,
            "--remote-admin",
            cloud.adminUrl,
            "--prefix",
            prefix,
            "--confirmed",
            String(n),
          ],
          { RESTATE_AUTH_TOKEN: token },
        );
      const ok = await audit(confirmed, TOKEN);
      console.log(ok.output);
      expect(ok.code, ok.output).toBe(ExitCode.ok);
      expect(ok.output).toContain(`audit ok: ${confirmed} seats SOLD`);
      expect(ok.output).toMatch(/seats of the run: 2 \(2 SOLD/);
      expect(ok.output).toMatch(/not proven from Restate's state alone: .*charged exactly once/);
      const wrongCount = await audit(confirmed + 1, TOKEN);
      expect(wrongCount.code).toBe(ExitCode.gateFailed);
      expect(wrongCount.output).toContain(`clients were told ${confirmed + 1} bookings confirmed, but ${confirmed} seats are SOLD`);
      const noToken = await audit(confirmed, undefined);
      expect(noToken.code).toBe(ExitCode.authFailed);
      expect(ok.output + wrongCount.output).not.toContain(TOKEN);
    } finally {
      for (const p of processes) await p.stop();
      await worker.stop();
      await cloud.stop();
    }
  });
});
