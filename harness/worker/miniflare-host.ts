// Child-process entry: runs one bundled Worker in one workerd through Miniflare, and prints `READY <url>`.
// It stops its whole process group (itself and workerd) on SIGTERM/SIGINT, so nothing outlives it.
import { readdirSync } from "node:fs";
import { join, matchesGlob, relative } from "node:path";
import { convertV4MiniflareOptions, Log, LogLevel, Miniflare, type V4ModuleDefinition, type V4ModuleRule, type V4WorkerOptions } from "miniflare";

/** What the parent passes as the first argument (JSON). */
export interface HostConfig {
  entry: string;
  /** The bundle's folder: its modules (the entry, the SDK's .wasm) are found under it. */
  modulesRoot: string;
  port: number;
  host: string;
  /** Miniflare's worker options from the Worker's own wrangler config (compatibility, vars, secrets, KV, D1, R2, ...). */
  workerOptions: Record<string, unknown>;
  /** nexus's own bindings, layered over the config's vars and secrets. */
  bindings: Record<string, string>;
  /** Where the Worker's KV, D1, R2 and Durable Object storage lives, so it outlives a crash of workerd. */
  persistDir: string;
  /** Log a line per request (off by default: it sends a request from workerd to this process on every Worker request). */
  logRequests: boolean;
  /** Open the Worker's inspector (DevTools protocol) on this loopback port, for CPU profiles; none when absent. */
  inspectorPort?: number;
}

const config = JSON.parse(process.argv[2] ?? "{}") as HostConfig;
const fromConfig = config.workerOptions as Partial<V4WorkerOptions>;

/** JavaScript chunks and the SDK's .wasm, as wrangler's bundle holds them; the config's own rules come first. */
const BUNDLE_RULES: V4ModuleRule[] = [
  { type: "ESModule", include: ["**/*.js", "**/*.mjs"] },
  { type: "CompiledWasm", include: ["**/*.wasm", "**/*.wasm?module"] },
];

/** Every module of the bundle, the entry first, each typed by the first rule that matches it; other files are left out. */
function bundleModules(): V4ModuleDefinition[] {
  const rules = [...((fromConfig.modulesRules ?? []) as V4ModuleRule[]), ...BUNDLE_RULES];
  const files = readdirSync(config.modulesRoot, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());
  const others = files.map((entry) => join(entry.parentPath, entry.name)).filter((path) => path !== config.entry);
  const modules: V4ModuleDefinition[] = [{ type: "ESModule", path: config.entry }];
  for (const path of others) {
    const name = relative(config.modulesRoot, path);
    const rule = rules.find((candidate) => candidate.include.some((glob) => matchesGlob(name, glob)));
    if (rule !== undefined) modules.push({ type: rule.type, path });
  }
  return modules;
}

const miniflare = new Miniflare(
  convertV4MiniflareOptions({
    ...fromConfig,
    // The bundle wrangler built, not the config's source entry.
    modulesRules: undefined,
    modules: bundleModules(),
    modulesRoot: config.modulesRoot,
    bindings: { ...(fromConfig.bindings ?? {}), ...config.bindings },
    host: config.host,
    port: config.port,
    resourcePersistencePath: config.persistDir,
    log: new Log(LogLevel.INFO),
    // Off by default: a line per request costs a request from workerd to this process on every Worker request (the
    // benchmark counts Worker requests by Restate's metrics instead). The Worker's console output and errors are logged.
    logRequests: config.logRequests,
    // No request.cf from Cloudflare: these machines must not reach it.
    cf: false,
    ...(config.inspectorPort === undefined ? {} : { inspectorPort: config.inspectorPort }),
  }),
);

function shutdown(): void {
  const forced = setTimeout(() => process.kill(-process.pid, "SIGKILL"), 2_000);
  miniflare
    .dispose()
    .catch(() => undefined)
    .finally(() => {
      clearTimeout(forced);
      process.kill(-process.pid, "SIGKILL");
    });
}
process.once("SIGTERM", shutdown);
process.once("SIGINT", shutdown);

miniflare.ready.then(
  (url) => console.log(`READY ${url.origin}`),
  (error: unknown) => {
    console.error(`FAILED ${(error as Error).message}`);
    process.kill(-process.pid, "SIGKILL");
  },
);
