import { querySql } from "../stack/admin.js";
import type { LedgerEntry } from "../gateway/ledger.js";
import type { SqlQuery, TicketRecord, WorkerDescription } from "../worker/worker-description.js";

/** What a checker judges besides the history: Restate's state and the gateway's ledger once the system is quiet. */
export interface FinalState {
  tickets: Record<string, TicketRecord>;
  /** The SeatMap view: seat → status; null when the Worker has no such view. */
  seatMap: Record<string, string> | null;
  ledger: LedgerEntry[];
  /** Invocations by status (sys_invocation), e.g. {completed: 540, backing-off: 0}. */
  invocations: Record<string, number>;
  /** Invocations queued, running, suspended, retrying or paused when the state was read and still so a moment later (at most 20). */
  busy: string[];
  /** When the state was read (ms since the epoch). */
  readAt: number;
}

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

/** Each seat whose status the SeatMap view does not show, as [seat, ticket status, view status] (absent on either side: AVAILABLE). */
export function viewDisagreements(tickets: Record<string, TicketRecord>, seatMap: Record<string, string>): Array<[string, string, string]> {
  const seats = new Set([...Object.keys(tickets), ...Object.keys(seatMap)]);
  return [...seats]
    .map((seat): [string, string, string] => [seat, tickets[seat]?.status ?? "AVAILABLE", seatMap[seat] ?? "AVAILABLE"])
    .filter(([, ticket, view]) => ticket !== view);
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
  const rows = await querySql<{ id: string; target: string; status: string }>(adminUrl, `SELECT id, target, status FROM sys_invocation WHERE ${BUSY}${since} LIMIT 20`);
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
