import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import type { Profiler } from "node:inspector";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { querySql } from "../harness/restate/admin.js";
import { deploymentRequests } from "../harness/restate/metrics.js";
import { benchAudit } from "../harness/checkers/bench-audit.js";
import { CpuMeter } from "./cpu.js";
import { readFinalState, waitQuiet } from "../harness/restate/state-reads.js";
import type { PaymentGateway } from "../harness/gateway/gateway.js";
import { ManagedProcess } from "../harness/system/process.js";
import type { StartedRestate } from "../harness/runtime/runtime.js";
import type { CellMeasurement, CellProfile } from "../harness/store/records.js";
import type { WorkerDescription } from "../harness/worker/worker-description.js";
import { startCpuProfile } from "../harness/worker/cpu-profile.js";
import getPort from "get-port";
import { LOOPBACK } from "../harness/system/ports.js";
import { GATEWAY_LATENCY_MS, loadEnvOf, type Cell } from "./config.js";
import { readLoadSummary, trendStats, type LoadSummary } from "./load-summary.js";
import { summarizeProfile, type ProfiledWorker } from "./profile.js";

const SCRIPT = fileURLToPath(new URL("./locust/booking.py", import.meta.url));

/** One cell's measured result, as bench.json stores it. */
export type CellResult = Cell & CellMeasurement;

/** What a cell runs against. */
export interface CellTarget {
  restate: StartedRestate;
  gateway: PaymentGateway;
  /** How the measured Worker's seats are read, for the audit. */
  description: WorkerDescription;
  /** The registered deployment of the design the cell measures: every invocation of the cell must run on it. */
  deploymentId: string;
  /** Record a CPU profile of the measured Worker while the cell runs: its inspector's port, and its bundle's layout. */
  profile?: ProfiledWorker;
}

async function invocationCount(adminUrl: string): Promise<number> {
  const [row] = await querySql<{ n: number }>(adminUrl, "SELECT count(*) AS n FROM sys_invocation");
  return Number(row?.n ?? 0);
}

/** Invocations created since `sinceMs` that ran on a deployment other than `deploymentId`: the other design's Worker. */
async function strayInvocations(adminUrl: string, deploymentId: string, sinceMs: number): Promise<number> {
  const [row] = await querySql<{ n: number }>(
    adminUrl,
    `SELECT count(*) AS n FROM sys_invocation WHERE created_at >= to_timestamp_millis(${sinceMs}) AND pinned_deployment_id <> '${deploymentId}'`,
  );
  return Number(row?.n ?? 0);
}

/** How a cell's Locust runs: where its files go, and how many Locust processes share it. */
interface LoadRun {
  locust: string;
  env: Record<string, string>;
  dir: string;
  index: number;
  /** Split across this many Locust worker processes under one master (1: one standalone process). */
  instances: number;
  /** The longest the whole run may take before Locust is told to stop (its summary then says it is incomplete). */
  timeLimitS: number;
  /** Keep Locust's own HTML report of the cell. */
  dashboard: boolean;
}

/** What a cell's Locust run measured: its summary, and the window from its first share's start to its end. */
interface LoadResult {
  summary: LoadSummary;
  /** CPU share of each program over that window. */
  cpu: Record<string, number>;
  elapsedS: number;
}

/**
 * Runs the cell's Locust: one standalone process, or a master and `instances` workers (`--processes`), each worker
 * running its share; returns the merged summary once Locust has exited. The CPU meter runs from the first share's
 * start to the last share's end, so Locust's own start-up (an idle machine) is not counted in any program's share.
 */
async function runLocust(run: LoadRun): Promise<LoadResult> {
  const name = `cell-${run.index}`;
  const summaryPath = join(run.dir, `${name}-summary.json`);
  const logPath = join(run.dir, `${name}-locust.log`);
  const split = run.instances > 1;
  const masterPort = split ? await getPort({ host: LOOPBACK }) : 0;
  const args = [
    "-f",
    SCRIPT,
    "--headless",
    "--only-summary",
    "--loglevel",
    "WARNING",
    "--exit-code-on-error",
    "0",
    "-u",
    String(run.instances),
    "-r",
    String(run.instances),
    "-t",
    `${run.timeLimitS}s`,
    "--stop-timeout",
    "5",
    ...(split
      ? [
          "--processes",
          String(run.instances),
          "--master-bind-host",
          LOOPBACK,
          "--master-bind-port",
          String(masterPort),
          "--master-host",
          LOOPBACK,
          "--master-port",
          String(masterPort),
        ]
      : []),
    ...(run.dashboard ? ["--html", join(run.dir, `${name}-dashboard.html`)] : []),
  ];
  let meter: { cpu: CpuMeter; started: number } | undefined;
  let window: { cpu: Record<string, number>; elapsedS: number } | undefined;
  const endWindow = () => {
    if (meter && !window) window = { cpu: meter.cpu.stop(), elapsedS: (Date.now() - meter.started) / 1000 };
  };
  const locust = ManagedProcess.start({
    name: "locust",
    command: run.locust,
    args,
    env: { ...run.env, NEXUS_SUMMARY: summaryPath },
    logPath,
    parentDeathSignal: "SIGKILL",
    onLine: (line) => {
      if (line.startsWith("nexus: share ") && !meter) meter = { cpu: new CpuMeter(), started: Date.now() };
      else if (line.startsWith("nexus: every share finished")) endWindow();
    },
  });
  const exit = await locust.exited;
  endWindow();
  if (exit.code !== 0) throw new Error(`Locust exited with ${exit.code ?? exit.signal}; see ${logPath}`);
  if (!existsSync(summaryPath) || !window) throw new Error(`Locust wrote no summary (no share started); see ${logPath}`);
  const summary = readLoadSummary(summaryPath);
  if (!summary.complete)
    throw new Error(`the cell did not finish within ${run.timeLimitS} s (${summary.shares} of ${run.instances} shares reported); see ${logPath}`);
  return { summary, ...window };
}

/** The longest a cell's Locust may run: its duration and the in-flight checkouts' grace, or the hot seat's bound. */
function timeLimitOf(cell: Cell): number {
  return cell.workload === "hot-seat" ? 360 : cell.durationS + 120;
}

/**
 * Runs one cell with Locust on fresh seats (a new prefix), its random draws seeded with `seed`, in one process or
 * split across `instances` worker processes, then audits Restate's state and the ledger for those seats.
 */
export async function runCell(
  locust: string,
  target: CellTarget,
  cell: Cell,
  dir: string,
  index: number,
  seed: number,
  dashboard = false,
  instances = 1,
): Promise<CellResult> {
  const prefix = `bench${index}-${cell.design}-${Math.random().toString(36).slice(2, 6)}-`;
  target.gateway.setFaults({ latencyMs: GATEWAY_LATENCY_MS[cell.gateway] });
  const requestsBefore = await deploymentRequests(target.restate.metricsUrl);
  const invocationsBefore = await invocationCount(target.restate.adminUrl);
  const ledgerBefore = target.gateway.entries().length;
  const started = Date.now();
  const env = loadEnvOf(cell, target.restate.ingressUrl, prefix, seed);
  const recording = target.profile === undefined ? undefined : await startCpuProfile(target.profile.inspectorPort);
  let load: LoadResult;
  try {
    load = await runLocust({ locust, env, dir, index, instances, timeLimitS: timeLimitOf(cell), dashboard });
  } catch (error) {
    await recording?.stop().catch(() => undefined);
    throw error;
  } finally {
    target.gateway.setFaults({});
  }
  const recorded = await recording?.stop();
  const { counts, samples } = load.summary;
  await waitQuiet(target.restate.adminUrl);
  const checkout = cell.workload !== "trivial";
  await target.gateway.whenIdle();
  // The cell's ledger is what the gateway wrote while it ran: each entry must name one of the cell's bookings.
  const state = await readFinalState(target.restate.adminUrl, target.description, target.gateway.entries().slice(ledgerBefore), prefix);
  const checked = checkout ? benchAudit(state, counts.confirmed, prefix) : { valid: true, problems: [] };
  const strays = await strayInvocations(target.restate.adminUrl, target.deploymentId, started);
  const problems = [...checked.problems, ...(strays > 0 ? [`${strays} invocations ran on another deployment than the measured design's`] : [])];
  const audit = { valid: problems.length === 0, problems };
  const duration = cell.workload === "hot-seat" ? load.elapsedS : cell.durationS;
  const requestsAfter = await deploymentRequests(target.restate.metricsUrl);
  const workerRequestsDone = requestsBefore === undefined || requestsAfter === undefined ? undefined : requestsAfter - requestsBefore;
  const invocationsDone = (await invocationCount(target.restate.adminUrl)) - invocationsBefore;
  const profile =
    recorded === undefined || workerRequestsDone === undefined
      ? undefined
      : await profileOf(recorded, target.profile!, join(dir, `cell-${index}.cpuprofile`), load, workerRequestsDone);
  const all = trendStats(samples.requests);
  const confirmedStats = trendStats(samples.confirmed);
  const refused = trendStats(samples.refused);
  return {
    ...cell,
    requests: counts.requests,
    confirmed: counts.confirmed,
    conflicts: counts.conflicts,
    declines: counts.declines,
    errors: counts.errors,
    requestsPerS: Math.round((counts.requests / duration) * 10) / 10,
    confirmedPerS: Math.round((counts.confirmed / duration) * 10) / 10,
    p50Ms: Math.round(all.p50),
    p90Ms: Math.round(all.p90),
    p99Ms: Math.round(all.p99),
    p50ConfirmedMs: Math.round(confirmedStats.p50),
    p99ConfirmedMs: Math.round(confirmedStats.p99),
    p50RefusedMs: Math.round(refused.p50),
    p99RefusedMs: Math.round(refused.p99),
    maxMs: Math.round(all.max),
    droppedIterations: counts.dropped,
    invocationsPerConfirmed: checkout && counts.confirmed > 0 ? Math.round((invocationsDone / counts.confirmed) * 10) / 10 : null,
    workerRequestsPerConfirmed: counts.confirmed > 0 && workerRequestsDone !== undefined ? Math.round((workerRequestsDone / counts.confirmed) * 10) / 10 : null,
    workerCpuMsPerConfirmed:
      counts.confirmed > 0 && load.cpu.workerd !== undefined ? Math.round((load.cpu.workerd * load.elapsedS * 1000 * 100) / counts.confirmed) / 100 : null,
    cpu: load.cpu,
    elapsedS: Math.round(load.elapsedS * 10) / 10,
    audit: { valid: audit.valid, problems: audit.problems.slice(0, 20) },
    valid: audit.valid && !(cell.workload === "open" && counts.dropped > 0),
    ...(profile === undefined ? {} : { profile }),
  };
}

/**
 * Stores a cell's CPU profile at `path` and says where a Worker request's CPU went: the isolate's busy time by the
 * profile, each program's by its CPU share over the cell, per Worker request served.
 */
async function profileOf(recorded: Profiler.Profile, worker: ProfiledWorker, path: string, load: LoadResult, workerRequests: number): Promise<CellProfile> {
  await writeFile(path, JSON.stringify(recorded));
  const isolate = summarizeProfile(recorded, worker.regions, worker.bundleName);
  const perRequest = (ms: number) => (workerRequests > 0 ? Math.round((ms / workerRequests) * 100) / 100 : 0);
  const cpuMsPerWorkerRequest: Record<string, number> = { "workerd isolate (profiled)": perRequest(isolate.busyMs) };
  for (const [program, share] of Object.entries(load.cpu)) cpuMsPerWorkerRequest[program] = perRequest(share * load.elapsedS * 1000);
  return { file: basename(path), workerRequests, cpuMsPerWorkerRequest, isolate };
}
