import { NexusError } from "./errors.js";

/** Runs one SQL query on Restate's admin API and returns its rows (tables: state, sys_invocation, sys_journal, …). */
export async function querySql<Row = Record<string, unknown>>(adminUrl: string, sql: string): Promise<Row[]> {
  const response = await fetch(`${adminUrl}/query`, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify({ query: sql }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`admin query failed: HTTP ${response.status}: ${text.slice(0, 300)}`);
  return (JSON.parse(text) as { rows: Row[] }).rows;
}

/** True when the admin API answers and partitions accept queries (Restate is ready for invocations). */
export async function isAdminReady(adminUrl: string): Promise<boolean> {
  const health = await fetch(`${adminUrl}/health`);
  if (!health.ok) return false;
  await querySql(adminUrl, "SELECT count(1) AS n FROM sys_invocation");
  return true;
}

/** True when the ingress answers its health check. */
export async function isIngressReady(ingressUrl: string): Promise<boolean> {
  return (await fetch(`${ingressUrl}/restate/health`)).ok;
}

/** Registers (or re-registers, `force`) the Worker at `workerUrl` with Restate over HTTP/1.1; returns the services. */
export async function registerDeployment(adminUrl: string, workerUrl: string): Promise<string[]> {
  let response: Response;
  try {
    response = await fetch(`${adminUrl}/deployments`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ uri: workerUrl, use_http_11: true, force: true }),
    });
  } catch (error) {
    throw new NexusError("registrationFailed", `could not reach Restate's admin API at ${adminUrl}: ${(error as Error).message}`);
  }
  const text = await response.text();
  if (!response.ok) {
    throw new NexusError(
      "registrationFailed",
      `Restate refused to register the Worker at ${workerUrl}: HTTP ${response.status}: ${text.slice(0, 300)}`,
    );
  }
  const body = JSON.parse(text) as { services?: Array<{ name: string }> };
  return (body.services ?? []).map((s) => s.name);
}
