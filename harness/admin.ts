import { authHeaders } from "./auth.js";
import { NexusError } from "./errors.js";

/** Runs one SQL query on Restate's admin API and returns its rows (tables: state, sys_invocation, sys_journal, …). */
export async function querySql<Row = Record<string, unknown>>(adminUrl: string, sql: string): Promise<Row[]> {
  const response = await fetch(`${adminUrl}/query`, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json", ...authHeaders(adminUrl) },
    body: JSON.stringify({ query: sql }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`admin query failed: HTTP ${response.status}: ${text.slice(0, 300)}`);
  return (JSON.parse(text) as { rows: Row[] }).rows;
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

/** Registers (or re-registers, `force`) the Worker at `workerUrl` with Restate over HTTP/1.1; returns the services. */
export async function registerDeployment(adminUrl: string, workerUrl: string): Promise<string[]> {
  let response: Response;
  try {
    response = await fetch(`${adminUrl}/deployments`, {
      method: "POST",
      headers: { "content-type": "application/json", ...authHeaders(adminUrl) },
      body: JSON.stringify({ uri: workerUrl, use_http_11: true, force: true }),
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
  const body = JSON.parse(text) as { services?: Array<{ name: string }> };
  return (body.services ?? []).map((s) => s.name);
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
