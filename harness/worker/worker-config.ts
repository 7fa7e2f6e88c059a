import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative, resolve } from "node:path";
import { NexusError } from "../system/errors.js";

const require = createRequire(import.meta.url);

/** The file names wrangler reads a Worker's config from, in the order wrangler itself prefers them. */
export const WRANGLER_CONFIG_FILES = ["wrangler.json", "wrangler.jsonc", "wrangler.toml"] as const;

/**
 * A Worker's own deploy settings, read from its wrangler config by wrangler: compatibility date and flags, `vars` and
 * `.dev.vars` secrets (`bindings`), and its KV, D1, R2, Durable Object and service bindings, as Miniflare's (v4-shaped)
 * worker options. Plain JSON, so it crosses to the Worker host's process as it is.
 */
export interface WorkerConfig {
  /** The wrangler config file it was read from. */
  path: string;
  /** The wrangler environment (`[env.NAME]`), or undefined for the top level. */
  env?: string;
  compatibilityDate: string;
  compatibilityFlags: string[];
  /** Miniflare's worker options from `unstable_getMiniflareWorkerOptions`, without its module source. */
  workerOptions: Record<string, unknown>;
}

/** The wrangler config file in `dir` (wrangler.json, wrangler.jsonc or wrangler.toml), or undefined. */
export function wranglerConfigIn(dir: string): string | undefined {
  return WRANGLER_CONFIG_FILES.map((file) => join(dir, file)).find((path) => existsSync(path));
}

/** The newest compatibility date the workerd Miniflare runs supports, e.g. "2026-11-17". */
export function newestSupportedDate(): string {
  const fromMiniflare = createRequire(require.resolve("miniflare"));
  const { compatibilityDate } = fromMiniflare("workerd") as { compatibilityDate?: string };
  if (compatibilityDate === undefined)
    throw new NexusError("startFailed", `workerd (${fromMiniflare.resolve("workerd")}) does not say which compatibility dates it supports`);
  return compatibilityDate;
}

/**
 * Binding kinds Miniflare cannot run on this machine (each needs Cloudflare's network), keyed by the option name
 * wrangler gives them. A Worker whose config names one is refused before anything starts.
 */
const REMOTE_ONLY: Record<string, string> = {
  ai: "Workers AI",
  aiSearchNamespaces: "AI Search",
  aiSearchInstances: "AI Search",
  vectorize: "Vectorize",
  browserRendering: "Browser Rendering",
  dispatchNamespaces: "a dispatch namespace",
  mtlsCertificates: "an mTLS certificate",
  vpcServices: "a VPC service",
  vpcNetworks: "a VPC network",
};

/** The names of the bindings an option holds (a record of bindings by name, a list, or one `{binding}`). */
function bindingNames(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value))
    return value.map((entry) => String((entry as { binding?: string; name?: string }).binding ?? (entry as { name?: string }).name ?? "?"));
  if (typeof value !== "object") return [];
  const single = (value as { binding?: unknown }).binding;
  if (typeof single === "string") return [single];
  return Object.keys(value);
}

/** Refuses bindings nexus cannot run locally: remote-only kinds, and service bindings to a Worker it does not run. */
function refuseUnsimulated(options: Record<string, unknown>, workerName: string | undefined, where: string): void {
  for (const [option, kind] of Object.entries(REMOTE_ONLY)) {
    const names = bindingNames(options[option]);
    if (names.length > 0) {
      throw new NexusError(
        "usage",
        `${where}: binding ${names[0]} is ${kind}, which Miniflare cannot simulate offline: remove it from the config nexus runs (e.g. a wrangler environment without it, --wrangler-env)`,
      );
    }
  }
  const services = (options.serviceBindings ?? {}) as Record<string, unknown>;
  for (const [binding, target] of Object.entries(services)) {
    const name = typeof target === "string" ? target : (target as { name?: unknown }).name;
    if (typeof name === "string" && name !== workerName) {
      throw new NexusError(
        "usage",
        `${where}: service binding ${binding} names the Worker "${name}", which nexus does not run: bind it to this Worker, or leave it out of the config nexus runs (--wrangler-env)`,
      );
    }
  }
}

interface WranglerApi {
  unstable_getMiniflareWorkerOptions(path: string, env?: string): { workerOptions: Record<string, unknown>; main?: string };
  unstable_readConfig(args: { config: string; env?: string }, options?: { hideWarnings?: boolean }): { name?: string };
}

/** Wrangler's programmatic API, its own log quieted to errors. */
async function wrangler(): Promise<WranglerApi> {
  process.env.WRANGLER_LOG ??= "error";
  process.env.WRANGLER_SEND_METRICS ??= "false";
  return (await import("wrangler")) as unknown as WranglerApi;
}

/**
 * Reads the Worker's deploy settings from its wrangler config through wrangler (`env`: a wrangler environment), and
 * checks them against what nexus can run: a compatibility date newer than the shipped workerd's, or a binding
 * Miniflare cannot simulate offline, is a NexusError that names it, before anything starts.
 */
export async function readWorkerConfig(path: string, env?: string): Promise<WorkerConfig> {
  const configPath = resolve(path);
  const where = relative(process.cwd(), configPath) || configPath;
  const api = await wrangler();
  let read: { workerOptions: Record<string, unknown> };
  let name: string | undefined;
  try {
    read = api.unstable_getMiniflareWorkerOptions(configPath, env);
    name = api.unstable_readConfig({ config: configPath, env }, { hideWarnings: true }).name;
  } catch (error) {
    const message = (error as Error).message.replace(/\s*\n\s*/g, " ");
    throw new NexusError("usage", `${where}${env ? ` (env ${env})` : ""} is not a Worker config wrangler accepts: ${message}`);
  }
  const { workerOptions } = read;
  const compatibilityDate = workerOptions.compatibilityDate;
  if (typeof compatibilityDate !== "string") throw new NexusError("usage", `${where} has no compatibility_date: add the date the Worker was written against`);
  const newest = newestSupportedDate();
  if (compatibilityDate > newest) {
    throw new NexusError(
      "usage",
      `${where} asks for compatibility_date ${compatibilityDate}, but the workerd nexus ships supports dates up to ${newest}: set compatibility_date to ${newest} or earlier, or update nexus`,
    );
  }
  refuseUnsimulated(workerOptions, name, where);
  return {
    path: configPath,
    env,
    compatibilityDate,
    compatibilityFlags: (workerOptions.compatibilityFlags as string[] | undefined) ?? [],
    workerOptions: { ...workerOptions, rootPath: dirname(configPath) },
  };
}
