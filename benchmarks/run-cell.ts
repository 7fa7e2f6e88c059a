import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { querySql } from "../harness/stack/admin.js";
import { benchAudit } from "../harness/checkers/bench-audit.js";
import { CpuMeter } from "./cpu.js";
import { readFinalState } from "../harness/history/final-state.js";
import type { PaymentGateway } from "../harness/gateway/gateway.js";
import { ManagedProcess } from "../harness/system/process.js";
import type { StartedRestate } from "../harness/runtime/runtime.js";
import { waitQuiet } from "../harness/runner/run-gate.js";
import type { CellMeasurement } from "../harness/store/records.js";
import type { WorkerDescription } from "../harness/worker/worker-description.js";
import { GATEWAY_LATENCY_MS, k6EnvOf, type Cell } from "./config.js";
import { mergeSummaries, readSamples, type K6Summary } from "./k6-samples.js";
import { executionSegments, segmentArgs } from "./segments.js";

const SCRIPT = fileURLToPath(new URL("./k6/booking.js", import.meta.url));

/** One cell's measured result, as bench.json stores it. */
export type CellResult = Cell & CellMeasurement;

/** What a cell runs against. */
export interface CellTarget {
  restate: StartedRestate;
  gateway: PaymentGateway;
  /** How the measured Worker's seats are read, for the audit. */
  description: WorkerDescription;
  workerLogPath: string;
  /** The registered deployment of the design the cell measures: every invocation of the cell must run on it. */
  deploymentId: string;
}

const count = (s: K6Summary, name: string) => s.metrics[name]?.values.count ?? 0;
/** A latency statistic of the cell's main requests: the checkouts, or every request of the trivial workload. */
const trend = (s: K6Summary, workload: Cell["workload"], stat: string) =>
  Math.round(s.metrics[workload === "trivial" ? "http_req_duration" : "http_req_duration{name:checkout}"]?.values[stat] ?? 0);

/** A statistic of one of the workload's own trends (confirmed_duration, refused_duration); 0 when it has no samples. */
const ownTrend = (s: K6Summary, name: string, stat: string) => Math.round(s.metrics[name]?.values[stat] ?? 0);

function workerRequests(logPath: string): number {
  return readFileSync(logPath, "utf8").split("\n").filter((line) => line.includes("POST /invoke/")).length;
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

/** How a cell's k6 runs: where its files go, and how many k6 processes share it. */
interface K6Run {
  k6: string;
  env: Record<string, string>;
  dir: string;
  index: number;
  /** Split across this many k6 processes with execution segments (1: one unsplit k6, as always). */
  instances: number;
  dashboard: boolean;
}

/** The files one k6 process of a cell writes. */
interface K6Files {
  summary: string;
  /** Its raw samples (`--out json`), when the cell is split. */
  samples?: string;
  log: string;
}

/**
 * Runs the cell's k6 and returns the files it wrote once every process has exited: one process, or `instances`
 * processes started together, each on its execution segment and writing its raw samples.
 */
async function runK6(run: K6Run): Promise<K6Files[]> {
  const { dir, index } = run;
  const segments = executionSegments(run.instances);
  const parts = segments.length === 0 ? [{ name: `cell-${index}`, segment: undefined }] : segments.map((segment, n) => ({ name: `cell-${index}-k6-${n}`, segment }));
  const files = parts.map(({ name, segment }) => ({
    summary: join(dir, `${name}-summary.json`),
    samples: segment ? join(dir, `${name}-samples.json`) : undefined,
    log: join(dir, segment ? `${name}.log` : `${name}-k6.log`),
  }));
  const processes = parts.map(({ name, segment }, n) =>
    ManagedProcess.start({
      name: segment ? `k6 ${segment.segment}` : "k6",
      command: run.k6,
      // Split: each instance on its segment, writing its raw samples, without k6's REST API (they would share its port).
      args: ["run", "--quiet", "--no-color", ...(segment ? [...segmentArgs(segment), "--out", `json=${files[n]!.samples}`, "--address", ""] : []), SCRIPT],
      env: {
        ...run.env,
        NEXUS_SUMMARY: files[n]!.summary,
        K6_NO_USAGE_REPORT: "true",
        ...(run.dashboard ? { K6_WEB_DASHBOARD: "true", K6_WEB_DASHBOARD_PORT: "-1", K6_WEB_DASHBOARD_EXPORT: join(dir, `${name}-dashboard.html`) } : {}),
      },
      logPath: files[n]!.log,
      parentDeathSignal: "SIGKILL",
    }),
  );
  const exits = await Promise.all(processes.map((p) => p.exited));
  for (const [n, exit] of exits.entries()) {
    if (exit.code !== 0 && exit.code !== 99) throw new Error(`k6 exited with ${exit.code ?? exit.signal}; see ${files[n]!.log}`);
  }
  return files;
}

/** The cell's summary: k6's own for one process; for several, their counters summed and their trends computed from the union of their samples. */
async function summaryOf(files: K6Files[]): Promise<K6Summary> {
  const summaries = files.map((f) => JSON.parse(readFileSync(f.summary, "utf8")) as K6Summary);
  const samples = files.flatMap((f) => (f.samples ? [f.samples] : []));
  return samples.length === 0 ? summaries[0]! : mergeSummaries(summaries, await readSamples(samples));
}

/**
 * Runs one cell with k6 on fresh seats (a new prefix), its random draws seeded with `seed`, on one k6 or split across
 * `instances` k6 processes, then audits Restate's state and the ledger for those seats.
 */
export async function runCell(k6: string, target: CellTarget, cell: Cell, dir: string, index: number, seed: number, dashboard = false, instances = 1): Promise<CellResult> {
  const prefix = `bench${index}-${cell.design}-${Math.random().toString(36).slice(2, 6)}-`;
  target.gateway.setFaults({ latencyMs: GATEWAY_LATENCY_MS[cell.gateway] });
  const requestsBefore = workerRequests(target.workerLogPath);
  const invocationsBefore = await invocationCount(target.restate.adminUrl);
  const ledgerBefore = target.gateway.entries().length;
  const cpu = new CpuMeter();
  const started = Date.now();
  const files = await runK6({ k6, env: k6EnvOf(cell, target.restate.ingressUrl, prefix, seed), dir, index, instances, dashboard }).finally(() => target.gateway.setFaults({}));
  const elapsedS = (Date.now() - started) / 1000;
  const shares = cpu.stop();
  const summary = await summaryOf(files);
  await waitQuiet(target.restate.adminUrl);
  const confirmed = count(summary, "confirmed");
  const checkout = cell.workload !== "trivial";
  await target.gateway.whenIdle();
  // The cell's ledger is what the gateway wrote while it ran: each entry must name one of the cell's bookings.
  const state = await readFinalState(target.restate.adminUrl, target.description, target.gateway.entries().slice(ledgerBefore), prefix);
  const checked = checkout ? benchAudit(state, confirmed, prefix) : { valid: true, problems: [] };
  const strays = await strayInvocations(target.restate.adminUrl, target.deploymentId, started);
  const problems = [...checked.problems, ...(strays > 0 ? [`${strays} invocations ran on another deployment than the measured design's`] : [])];
  const audit = { valid: problems.length === 0, problems };
  const duration = cell.workload === "hot-seat" ? elapsedS : cell.durationS;
  const workerRequestsDone = workerRequests(target.workerLogPath) - requestsBefore;
  const invocationsDone = (await invocationCount(target.restate.adminUrl)) - invocationsBefore;
  const dropped = count(summary, "dropped_iterations");
  return {
    ...cell,
    requests: count(summary, "http_reqs"),
    confirmed,
    conflicts: count(summary, "conflicts"),
    declines: count(summary, "declines"),
    errors: count(summary, "errors"),
    requestsPerS: Math.round((count(summary, "http_reqs") / duration) * 10) / 10,
    confirmedPerS: Math.round((confirmed / duration) * 10) / 10,
    p50Ms: trend(summary, cell.workload, "med"),
    p90Ms: trend(summary, cell.workload, "p(90)"),
    p99Ms: trend(summary, cell.workload, "p(99)"),
    p50ConfirmedMs: ownTrend(summary, "confirmed_duration", "med"),
    p99ConfirmedMs: ownTrend(summary, "confirmed_duration", "p(99)"),
    p50RefusedMs: ownTrend(summary, "refused_duration", "med"),
    p99RefusedMs: ownTrend(summary, "refused_duration", "p(99)"),
    maxMs: trend(summary, cell.workload, "max"),
    droppedIterations: dropped,
    invocationsPerConfirmed: checkout && confirmed > 0 ? Math.round((invocationsDone / confirmed) * 10) / 10 : null,
    workerRequestsPerConfirmed: confirmed > 0 ? Math.round((workerRequestsDone / confirmed) * 10) / 10 : null,
    cpu: shares,
    elapsedS: Math.round(elapsedS * 10) / 10,
    audit: { valid: audit.valid, problems: audit.problems.slice(0, 20) },
    valid: audit.valid && !(cell.workload === "open" && dropped > 0),
  };
}
