import { authHeaders } from "./auth.js";
import { NexusError } from "../system/errors.js";
import { delay, waitFor } from "../system/wait.js";

/**
 * What a cluster node answers while a partition moves between nodes (Restate calls it benign), or while a node that
 * just restarted has not opened its partition store yet; the same query a moment later succeeds.
 */
const PARTITION_NOT_READY = /partition \d+ doesn't exist on this node|expecting a partition store/;
/** How long a query may keep meeting a partition that is not ready before its error is passed on. */
const PARTITION_NOT_READY_PATIENCE_MS = 15_000;

/** `text` as a string literal of Restate's SQL (DataFusion): in single quotes, each quote in it doubled. */
export function sqlText(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/**
 * Runs one SQL query on Restate's admin API and returns its rows (tables: state, sys_invocation, sys_journal, …). A
 * cluster's "partition … doesn't exist on this node" and a restarted node's "expecting a partition store" are retried
 * for up to 15 s; any other error is thrown at once.
 */
export async function querySql<Row = Record<string, unknown>>(adminUrl: string, sql: string): Promise<Row[]> {
  const deadline = Date.now() + PARTITION_NOT_READY_PATIENCE_MS;
  for (;;) {
    const response = await fetch(`${adminUrl}/query`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json", ...authHeaders(adminUrl) },
      body: JSON.stringify({ query: sql }),
    });
    const text = await response.text();
    if (response.ok) return (JSON.parse(text) as { rows: Row[] }).rows;
    if (!PARTITION_NOT_READY.test(text) || Date.now() >= deadline) {
      throw new Error(`admin query failed: HTTP ${response.status}: ${text.slice(0, 300)}`);
    }
    await delay(200);
  }
}

/** True when the admin API answers and partitions accept queries (Restate is ready for invocations). */
export async function isAdminReady(adminUrl: string): Promise<boolean> {
  const health = await fetch(`${adminUrl}/health`, { headers: authHeaders(adminUrl) });
  if (!health.ok) return false;
  await querySql(adminUrl, "SELECT count(1) AS n FROM sys_invocation");
  return true;
}

/** True when the ingress answers its health check. */
export async function isIngressReady(ingressUrl: string): Promise<boolean> {
  return (await fetch(`${ingressUrl}/restate/health`, { headers: authHeaders(ingressUrl) })).ok;
}

/** A service as Restate's admin API describes it: its name, and whether it is a plain service or keyed. */
export interface RegisteredService {
  name: string;
  ty: "Service" | "VirtualObject" | "Workflow";
}

/** A registered deployment: Restate's id for it (invocations are pinned to it) and its services. */
export interface Deployment {
  id: string;
  services: RegisteredService[];
}

/** A registration's answer: the deployment, and whether Restate made a new one (201) or found the URL known (200). */
export interface Registration extends Deployment {
  created: boolean;
}

/**
 * Registers the Worker at `workerUrl` with Restate over HTTP/1.1. By default a URL Restate knows already is discovered
 * again and overwritten (`force`); with `force: false` Restate answers "unchanged" for a known URL, as a team's
 * script that registers without force sees it.
 */
export async function registerDeployment(adminUrl: string, workerUrl: string, options: { force?: boolean } = {}): Promise<Registration> {
  let response: Response;
  try {
    response = await fetch(`${adminUrl}/deployments`, {
      method: "POST",
      headers: { "content-type": "application/json", ...authHeaders(adminUrl) },
      body: JSON.stringify({ uri: workerUrl, use_http_11: true, force: options.force ?? true }),
    });
  } catch (error) {
    throw new NexusError("registrationFailed", `could not reach Restate's admin API at ${adminUrl}: ${(error as Error).message}`);
  }
  const text = await response.text();
  if (response.status === 401 || response.status === 403) throw authError(adminUrl, response.status);
  if (!response.ok) {
    const unreachable = /discover|connect|reach|timed? ?out/i.test(text);
    throw new NexusError(
      "registrationFailed",
      unreachable
        ? `Restate at ${adminUrl} could not reach the Worker at ${workerUrl} (HTTP ${response.status}): is the Worker deployed and its URL public? ${text.slice(0, 200)}`
        : `Restate refused to register the Worker at ${workerUrl}: HTTP ${response.status}: ${text.slice(0, 300)}`,
    );
  }
  const body = JSON.parse(text) as { id: string; services?: RegisteredService[] };
  return { id: body.id, services: (body.services ?? []).map((s) => ({ name: s.name, ty: s.ty })), created: response.status === 201 };
}

/** Removes deployment `id` from Restate (forced: Restate removes it even while invocations are pinned to it). */
export async function removeDeployment(adminUrl: string, id: string): Promise<void> {
  const response = await fetch(`${adminUrl}/deployments/${encodeURIComponent(id)}?force=true`, { method: "DELETE", headers: authHeaders(adminUrl) });
  if (!response.ok) throw new Error(`removing deployment ${id} failed: HTTP ${response.status}: ${(await response.text()).slice(0, 300)}`);
}

/**
 * Empties the state of the virtual object `service`/`key` through the admin API, and waits until the state table
 * shows it empty (Restate applies the change asynchronously, as a command to the object's partition).
 */
export async function clearObjectState(adminUrl: string, service: string, key: string): Promise<void> {
  const response = await fetch(`${adminUrl}/services/${encodeURIComponent(service)}/state`, {
    method: "POST",
    headers: { "content-type": "application/json", ...authHeaders(adminUrl) },
    body: JSON.stringify({ object_key: key, new_state: {} }),
  });
  if (!response.ok) throw new Error(`clearing the state of ${service}/${key} failed: HTTP ${response.status}: ${(await response.text()).slice(0, 300)}`);
  const left = async () => {
    const [row] = await querySql<{ n: number }>(
      adminUrl,
      `SELECT count(*) AS n FROM state WHERE service_name = ${sqlText(service)} AND service_key = ${sqlText(key)}`,
    );
    return Number(row?.n ?? 0) === 0;
  };
  await waitFor(left, { timeoutMs: 30_000, intervalMs: 100, what: `the state of ${service}/${key} to be cleared` });
}

/** A handler name no service has: the ingress answers "the service exists, but the handler … was not found". */
const PROBE_HANDLER = "nexusServedProbe";

/** True when the ingress at `ingressUrl` knows `service` (asked for a handler it lacks: nothing is invoked). */
async function ingressKnows(ingressUrl: string, service: RegisteredService): Promise<boolean> {
  const path = service.ty === "Service" ? `/${service.name}/${PROBE_HANDLER}` : `/${service.name}/probe/${PROBE_HANDLER}`;
  const response = await fetch(`${ingressUrl}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...authHeaders(ingressUrl) },
    body: "{}",
  });
  const text = await response.text();
  return response.status === 404 && text.includes(`'${service.name}' exists`);
}

/**
 * Waits until every ingress knows every registered service: a cluster's other nodes learn a registration a moment
 * after the admin answers, and a call meanwhile gets 404 "service not found".
 */
export async function waitUntilServed(ingressUrls: string[], services: RegisteredService[], timeoutMs = 30_000): Promise<void> {
  for (const ingressUrl of ingressUrls) {
    for (const service of services) {
      await waitFor(() => ingressKnows(ingressUrl, service), {
        timeoutMs,
        intervalMs: 100,
        what: `the ingress at ${ingressUrl} to know the service ${service.name} after its registration`,
      });
    }
  }
}

/** The error for a 401 or 403 from a Restate environment: which URL, and what to do about the token. */
export function authError(url: string, status: number): NexusError {
  return new NexusError(
    "authFailed",
    status === 401
      ? `${url} asks for a token (HTTP 401): set RESTATE_AUTH_TOKEN to an API key of the environment`
      : `${url} refused the token (HTTP 403): RESTATE_AUTH_TOKEN is wrong, expired or lacks the rights (admin calls need an admin key)`,
  );
}
