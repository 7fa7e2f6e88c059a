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
import { GATEWAY_LATENCY_MS, PAYMENT_MIX, scenarioOf, type Cell } from "./config.js";

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

interface K6Summary {
  metrics: Record<string, { values: Record<string, number> } | undefined>;
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

/**
 * Runs one cell with k6 on fresh seats (a new prefix), its random draws seeded with `seed`, then audits Restate's
 * state and the ledger for those seats.
 */
export async function runCell(k6: string, target: CellTarget, cell: Cell, dir: string, index: number, seed: number, dashboard = false): Promise<CellResult> {
  const prefix = `bench${index}-${cell.design}-${Math.random().toString(36).slice(2, 6)}-`;
  const summaryPath = join(dir, `cell-${index}-summary.json`);
  target.gateway.setFaults({ latencyMs: GATEWAY_LATENCY_MS[cell.gateway] });
  const config = { ingress: target.restate.ingressUrl, prefix, seed, users: cell.users, seats: cell.seats, workload: cell.workload, mix: PAYMENT_MIX, scenario: scenarioOf(cell), summaryPath };
  const requestsBefore = workerRequests(target.workerLogPath);
  const invocationsBefore = await invocationCount(target.restate.adminUrl);
  const ledgerBefore = target.gateway.entries().length;
  const cpu = new CpuMeter();
  const started = Date.now();
  const k6run = ManagedProcess.start({
    name: "k6",
    command: k6,
    args: ["run", "--quiet", "--no-color", SCRIPT],
    env: {
      NEXUS_BENCH: JSON.stringify(config),
      K6_NO_USAGE_REPORT: "true",
      ...(dashboard ? { K6_WEB_DASHBOARD: "true", K6_WEB_DASHBOARD_PORT: "-1", K6_WEB_DASHBOARD_EXPORT: join(dir, `cell-${index}-dashboard.html`) } : {}),
    },
    logPath: join(dir, `cell-${index}-k6.log`),
    parentDeathSignal: "SIGKILL",
  });
  const exit = await k6run.exited;
  const elapsedS = (Date.now() - started) / 1000;
  const shares = cpu.stop();
  target.gateway.setFaults({});
  if (exit.code !== 0 && exit.code !== 99) throw new Error(`k6 exited with ${exit.code ?? exit.signal}; see ${join(dir, `cell-${index}-k6.log`)}`);
  const summary = JSON.parse(readFileSync(summaryPath, "utf8")) as K6Summary;
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
