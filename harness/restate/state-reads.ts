// Restate's state as the harness reads it live, by admin SQL: a Worker's seats and SeatMap view (through its
// description), invocations by status, the busy ones, the final state a gate is judged by, and waiting for quiet.
import type { LedgerEntry } from "../gateway/ledger.js";
import { viewDisagreements, type FinalState } from "../history/final-state.js";
import { waitFor } from "../system/wait.js";
import type { SqlQuery, TicketRecord, WorkerDescription } from "../worker/worker-description.js";
import { querySql } from "./admin.js";

/** The admin SQL query function a Worker description reads its state with. */
function sqlOf(adminUrl: string): SqlQuery {
  return <Row>(sql: string) => querySql<Row>(adminUrl, sql);
}

/** The seats whose id starts with `prefix`, as `worker` stores them in Restate (read by admin SQL). */
export async function readSeats(adminUrl: string, worker: WorkerDescription, prefix = ""): Promise<Record<string, TicketRecord>> {
  return worker.readSeats(sqlOf(adminUrl), prefix);
}

/** The Worker's SeatMap view of the seats starting with `prefix`, or null when it has none. */
export async function readSeatMapView(adminUrl: string, worker: WorkerDescription, prefix = ""): Promise<Record<string, string> | null> {
  return worker.readSeatMap && worker.capabilities.seatMapView ? worker.readSeatMap(sqlOf(adminUrl), prefix) : null;
}

/**
 * The seats and the SeatMap view, read again (for up to SETTLE_MS) while they disagree. The view trails the seats by
 * a one-way send, and right after a Restate restart that send can be in flight between partitions where no invocation
 * shows it yet, so a quiet system can still read a view one update behind; a view that stays apart is read as it is.
 */
async function readSeatsAndView(adminUrl: string, worker: WorkerDescription, prefix: string) {
  const deadline = Date.now() + SETTLE_MS;
  for (;;) {
    const [tickets, seatMap] = await Promise.all([readSeats(adminUrl, worker, prefix), readSeatMapView(adminUrl, worker, prefix)]);
    if (seatMap === null || viewDisagreements(tickets, seatMap).length === 0 || Date.now() >= deadline) return { tickets, seatMap };
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Counts invocations by status. */
export async function readInvocationCounts(adminUrl: string): Promise<Record<string, number>> {
  const rows = await querySql<{ status: string; n: number }>(adminUrl, "SELECT status, count(*) AS n FROM sys_invocation GROUP BY status");
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

/** Busy means queued, running, suspended, retrying or paused: anything but done or a timer waiting its turn. */
const BUSY = "status IN ('pending', 'ready', 'running', 'suspended', 'backing-off', 'paused')";

/** Invocations that are still busy (at most 20), as "target id status"; with `sinceMs`, only those created since then. */
export async function readBusyInvocations(adminUrl: string, sinceMs?: number): Promise<string[]> {
  const since = sinceMs === undefined ? "" : ` AND created_at >= to_timestamp_millis(${Math.floor(sinceMs)})`;
  const rows = await querySql<{ id: string; target: string; status: string }>(
    adminUrl,
    `SELECT id, target, status FROM sys_invocation WHERE ${BUSY}${since} LIMIT 20`,
  );
  return rows.map((row) => `${row.target} ${row.id} ${row.status}`);
}

/** How long an invocation found busy in the final state may take to finish before it counts as stuck. */
const SETTLE_MS = 5_000;

/**
 * The invocations that stay busy: those busy now and still busy once up to SETTLE_MS let a short one finish (a hold's
 * timer that fired just as the state was read). A stuck invocation (paused, retrying, waiting on a lost call) stays.
 */
async function readStuckInvocations(adminUrl: string, sinceMs?: number): Promise<string[]> {
  const idOf = (busy: string) => busy.split(" ")[1];
  let stuck = await readBusyInvocations(adminUrl, sinceMs);
  const deadline = Date.now() + SETTLE_MS;
  while (stuck.length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    const now = new Map((await readBusyInvocations(adminUrl, sinceMs)).map((b) => [idOf(b), b]));
    stuck = stuck.filter((b) => now.has(idOf(b))).map((b) => now.get(idOf(b))!);
  }
  return stuck;
}

/**
 * Reads the final state of `worker`'s seats starting with `prefix` (and its view, see readSeatsAndView), with `ledger`:
 * the gateway's entries of the same run, whatever they name. Busy are the invocations that stay busy (see readStuckInvocations). With `busySince`, only invocations created since then count as busy (a run judged while an
 * earlier one's hold timers still fire).
 */
export async function readFinalState(adminUrl: string, worker: WorkerDescription, ledger: LedgerEntry[], prefix = "", busySince?: number): Promise<FinalState> {
  const readAt = Date.now();
  const [{ tickets, seatMap }, invocations, busy] = await Promise.all([
    readSeatsAndView(adminUrl, worker, prefix),
    readInvocationCounts(adminUrl),
    readStuckInvocations(adminUrl, busySince),
  ]);
  return { tickets, seatMap, ledger, invocations, busy, readAt };
}

/** Waits until Restate has no busy invocation, or `timeoutMs` passed (liveness then reports what is still busy). */
export async function waitQuiet(adminUrl: string, timeoutMs = 30_000): Promise<void> {
  await waitFor(async () => (await readBusyInvocations(adminUrl)).length === 0, { timeoutMs, intervalMs: 100, what: "Restate to go quiet" }).catch(
    () => undefined,
  );
}
