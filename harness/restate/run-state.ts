import { querySql, sqlText } from "./admin.js";
import type { WorkerDescription } from "../worker/worker-description.js";
import type { TicketRecord } from "../worker/worker-description.js";

/** What Restate holds of one run (its objects' keys start with the run's prefix): its seats, invocations and the busy ones. */
export interface RunStateRead {
  tickets: Record<string, TicketRecord>;
  /** Invocations on the run's keyed objects, by status. */
  invocations: Record<string, number>;
  /** Those still queued, running, suspended, retrying or paused once the settle time has passed (at most 20). */
  busy: string[];
}

const BUSY = "status IN ('pending', 'ready', 'running', 'suspended', 'backing-off', 'paused')";

/** How long invocations of the run found busy may take to finish before they count as busy. */
const SETTLE_MS = 10_000;

/**
 * Reads a run's state from Restate's admin SQL alone (no ledger, no history): the seats starting with `prefix` as
 * `worker` stores them, and the invocations on objects keyed by the run's ids. Works on any admin API the harness
 * can reach, local or remote (its bearer token set with useBearerToken).
 */
export async function readRunState(adminUrl: string, worker: WorkerDescription, prefix: string): Promise<RunStateRead> {
  const ofRun = `starts_with(target_service_key, ${sqlText(prefix)})`;
  const busyNow = async () =>
    (
      await querySql<{ id: string; target: string; status: string }>(
        adminUrl,
        `SELECT id, target, status FROM sys_invocation WHERE ${ofRun} AND ${BUSY} LIMIT 20`,
      )
    ).map((row) => `${row.target} ${row.id} ${row.status}`);
  let busy = await busyNow();
  const deadline = Date.now() + SETTLE_MS;
  while (busy.length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    busy = await busyNow();
  }
  const rows = await querySql<{ status: string; n: number }>(adminUrl, `SELECT status, count(*) AS n FROM sys_invocation WHERE ${ofRun} GROUP BY status`);
  return {
    tickets: await worker.readSeats(<Row>(sql: string) => querySql<Row>(adminUrl, sql), prefix),
    invocations: Object.fromEntries(rows.map((r) => [r.status, Number(r.n)])),
    busy,
  };
}
