// What Restate's admin SQL says about deployments: which one each service calls for new invocations, which one each
// invocation is pinned to and when its handler wrote its journal, the failures invocations meet, and what is in flight.
import type { InvocationFailure, InvocationRun } from "../history/deploys.js";
import { querySql, sqlText } from "./admin.js";

const epochOf = (value: unknown): number | null => (typeof value === "string" && value !== "" ? Date.parse(value) : null);

/** Every invocation with its pinned deployment and the times its handler wrote its journal (sys_invocation with sys_journal). */
export async function readInvocationRuns(adminUrl: string): Promise<InvocationRun[]> {
  const [invocations, commands] = await Promise.all([
    querySql<{ id: string; target: string; status: string; pinned_deployment_id: string | null }>(
      adminUrl,
      "SELECT id, target, status, pinned_deployment_id FROM sys_invocation",
    ),
    querySql<{ id: string; first_at: string; last_at: string }>(
      adminUrl,
      "SELECT id, min(appended_at) AS first_at, max(appended_at) AS last_at FROM sys_journal " +
        "WHERE entry_type LIKE 'Command:%' AND entry_type <> 'Command: Input' GROUP BY id",
    ),
  ]);
  const times = new Map(commands.map((c) => [c.id, { first: epochOf(c.first_at), last: epochOf(c.last_at) }]));
  return invocations.map((i) => ({
    id: i.id,
    target: i.target,
    status: i.status,
    deployment: i.pinned_deployment_id ?? null,
    firstCommandAt: times.get(i.id)?.first ?? null,
    lastCommandAt: times.get(i.id)?.last ?? null,
  }));
}

/** The invocations whose last attempt failed (retrying, paused, or still running after a failure). */
export async function readInvocationFailures(adminUrl: string): Promise<InvocationFailure[]> {
  const rows = await querySql<{
    id: string;
    target: string;
    status: string;
    pinned_deployment_id: string | null;
    last_failure_error_code: string | null;
    last_failure: string | null;
    retry_count: number | null;
  }>(
    adminUrl,
    "SELECT id, target, status, pinned_deployment_id, last_failure_error_code, last_failure, retry_count FROM sys_invocation " +
      "WHERE status <> 'completed' AND last_failure IS NOT NULL",
  );
  return rows.map((r) => ({
    id: r.id,
    target: r.target,
    status: r.status,
    deployment: r.pinned_deployment_id ?? null,
    code: r.last_failure_error_code ?? null,
    failure: (r.last_failure ?? "").slice(0, 300),
    retries: Number(r.retry_count ?? 0),
  }));
}

/** The deployment each service sends new invocations to (its latest registration), by service name. */
export async function readLatestDeployments(adminUrl: string): Promise<Record<string, string>> {
  const rows = await querySql<{ name: string; deployment_id: string }>(adminUrl, "SELECT name, deployment_id FROM sys_service");
  return Object.fromEntries(rows.map((r) => [r.name, r.deployment_id]));
}

/** How many invocations pinned to deployment `id` have not completed: the deployment is drained at 0. */
export async function countUnfinishedOn(adminUrl: string, id: string): Promise<number> {
  const [row] = await querySql<{ n: number }>(
    adminUrl,
    `SELECT count(*) AS n FROM sys_invocation WHERE pinned_deployment_id = ${sqlText(id)} AND status <> 'completed'`,
  );
  return Number(row?.n ?? 0);
}

/**
 * What is in flight now, by Restate's status (pending or ready: not yet run; running; suspended; backing-off; paused),
 * and `sleeping`: the suspended ones with a durable sleep in their journal (a reconciliation waiting to ask again).
 */
export async function readInFlight(adminUrl: string): Promise<Record<string, number>> {
  const [byStatus, sleeping] = await Promise.all([
    querySql<{ status: string; n: number }>(adminUrl, "SELECT status, count(*) AS n FROM sys_invocation WHERE status <> 'completed' GROUP BY status"),
    querySql<{ n: number }>(
      adminUrl,
      "SELECT count(DISTINCT j.id) AS n FROM sys_journal j JOIN sys_invocation i ON i.id = j.id " +
        "WHERE j.entry_type = 'Command: Sleep' AND i.status = 'suspended'",
    ),
  ]);
  const counts: Record<string, number> = Object.fromEntries(byStatus.map((r) => [r.status, Number(r.n)]));
  return { ...counts, sleeping: Number(sleeping[0]?.n ?? 0) };
}

/** A watch over invocation failures: every distinct failure seen (the first of each invocation and code), until stopped. */
export interface FailureWatch {
  /** Stops watching (safe to call twice) and returns what was seen, in the order first seen. */
  stop(): Promise<InvocationFailure[]>;
}

/**
 * Watches the failures invocations meet, reading them every `intervalMs`. Restate shows an invocation's last failure
 * only while it is being retried (a paused invocation no longer shows it), so a failure is caught while it happens.
 */
export function watchInvocationFailures(adminUrl: string, intervalMs = 250): FailureWatch {
  const seen = new Map<string, InvocationFailure>();
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const failures = await readInvocationFailures(adminUrl).catch(() => []);
      for (const failure of failures) {
        const key = `${failure.id} ${failure.code ?? ""}`;
        if (!seen.has(key)) seen.set(key, failure);
        else seen.set(key, { ...failure, retries: Math.max(failure.retries, seen.get(key)!.retries) });
      }
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
      return [...seen.values()];
    },
  };
}
