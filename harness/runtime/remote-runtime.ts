import { authError } from "../restate/admin.js";
import { authHeaders, useBearerToken } from "../restate/auth.js";
import { NexusError } from "../system/errors.js";
import type { RestateRuntime, StartedRestate } from "./runtime.js";

/** Where a remote Restate environment (e.g. Restate Cloud) answers, and its API key. */
export interface RemoteTarget {
  ingressUrl: string;
  adminUrl: string;
  /** Sent as `Authorization: Bearer …` on every ingress and admin call; never printed or stored. */
  token: string | undefined;
}

const trimSlash = (url: string) => url.replace(/\/+$/, "");

/** Checks a URL the user gave: http(s), no credentials in it. */
function checkedUrl(url: string, flag: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new NexusError("usage", `${flag} "${url}" is not a URL (e.g. https://<environment>.env.<region>.restate.cloud:8080)`);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") throw new NexusError("usage", `${flag} must be an http or https URL`);
  if (parsed.username || parsed.password) throw new NexusError("usage", `${flag} must not carry credentials: put the API key in RESTATE_AUTH_TOKEN`);
  return trimSlash(url);
}

/** GETs `url` with the environment's token and turns 401/403 and unreachable hosts into one clear line each. */
async function probe(url: string, what: string): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(url, { headers: authHeaders(url), signal: AbortSignal.timeout(15_000) });
  } catch (error) {
    throw new NexusError("startFailed", `could not reach the remote ${what} at ${url}: ${(error as Error).message}; check the URL and the network`);
  }
  if (response.status === 401 || response.status === 403) throw authError(url, response.status);
  if (!response.ok) throw new NexusError("startFailed", `the remote ${what} at ${url} answered HTTP ${response.status}: is this a Restate ${what}?`);
  return response;
}

class StartedRemoteRestate implements StartedRestate {
  readonly runtime = "remote";
  readonly logPath = undefined;

  constructor(
    readonly ingressUrl: string,
    readonly adminUrl: string,
    readonly version: string,
  ) {}

  get endpoints() {
    return [{ ingressUrl: this.ingressUrl, adminUrl: this.adminUrl }];
  }

  private unsupported(what: string): Promise<never> {
    return Promise.reject(new NexusError("usage", `the remote runtime cannot ${what} Restate: the harness does not run it`));
  }

  kill() {
    return this.unsupported("kill");
  }
  pause() {
    return this.unsupported("pause");
  }
  resume() {
    return this.unsupported("resume");
  }
  restart() {
    return this.unsupported("restart");
  }
  /** Nothing to stop: the environment is not the harness's. */
  async stop(): Promise<void> {}
}

/** An existing Restate environment (Restate Cloud, or any reachable server): starts and stops nothing. */
export class RemoteRuntime implements RestateRuntime {
  readonly name = "remote";
  private readonly target: RemoteTarget;

  constructor(target: RemoteTarget) {
    this.target = { ...target, ingressUrl: checkedUrl(target.ingressUrl, "--remote"), adminUrl: checkedUrl(target.adminUrl, "--remote-admin") };
  }

  /** Checks that the admin API and the ingress answer with the token, and reads the server's version. */
  async start(): Promise<StartedRestate> {
    const { ingressUrl, adminUrl, token } = this.target;
    if (token !== undefined && token !== "") {
      useBearerToken(ingressUrl, token);
      useBearerToken(adminUrl, token);
    }
    const version = ((await (await probe(`${adminUrl}/version`, "admin API")).json()) as { version?: string }).version ?? "unknown";
    await probe(`${ingressUrl}/restate/health`, "ingress");
    return new StartedRemoteRestate(ingressUrl, adminUrl, version);
  }
}
