import process from "node:process";
import reference from "nexus/worker";

/** The reference Worker's settings (PAYMENT_URL, BOOKING_DESIGN, ...): optional text each. */
type ReferenceEnv = Parameters<typeof reference.fetch>[1];

/** This Worker's bindings: the reference Worker's settings, plus its own. */
interface Env extends ReferenceEnv {
  REGION?: string;
  SETTINGS_TOKEN?: string;
  INVOCATION_LOG: KVNamespace;
}

/** Counts one Restate invocation of `handler` (e.g. "Checkout/process") in KV: not atomic, a log, not a ledger. */
async function logInvocation(log: KVNamespace, handler: string): Promise<void> {
  const key = `served:${handler}`;
  const count = Number((await log.get(key)) ?? "0");
  await log.put(key, String(count + 1));
}

/** SHA-256 of `text` in hex, so the route can show which secret it got without showing the secret. */
async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** What this Worker runs with: its region, its secret's digest, its compatibility flag's effect (process.env), its KV log. */
async function settings(env: Env): Promise<Response> {
  const served = await env.INVOCATION_LOG.list({ prefix: "served:" });
  const counts: Record<string, number> = {};
  for (const { name } of served.keys) counts[name.slice("served:".length)] = Number(await env.INVOCATION_LOG.get(name));
  return Response.json({
    region: env.REGION ?? null,
    settingsTokenSha256: env.SETTINGS_TOKEN === undefined ? null : await sha256(env.SETTINGS_TOKEN),
    regionInProcessEnv: process.env.REGION ?? null,
    served: counts,
  });
}

export default {
  async fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
    const { pathname } = new URL(request.url);
    if (request.method === "GET" && pathname === "/team/settings") return settings(env);
    const invoked = /^\/invoke\/([^/]+\/[^/]+)$/.exec(pathname);
    if (invoked) ctx.waitUntil(logInvocation(env.INVOCATION_LOG, invoked[1]!));
    return reference.fetch(request, env, ctx);
  },
} satisfies ExportedHandler<Env>;
