// Child-process entry: runs one bundled Worker in one workerd through Miniflare, and prints `READY <url>`.
// It stops its whole process group (itself and workerd) on SIGTERM/SIGINT, so nothing outlives it.
import { dirname } from "node:path";
import { Log, LogLevel, Miniflare } from "miniflare";

/** What the parent passes as the first argument (JSON). */
export interface HostConfig {
  entry: string;
  port: number;
  host: string;
  bindings: Record<string, string>;
  compatibilityDate: string;
  compatibilityFlags: string[];
}

const config = JSON.parse(process.argv[2] ?? "{}") as HostConfig;

const miniflare = new Miniflare({
  modules: true,
  scriptPath: config.entry,
  modulesRoot: dirname(config.entry),
  modulesRules: [{ type: "CompiledWasm", include: ["**/*.wasm"] }],
  compatibilityDate: config.compatibilityDate,
  compatibilityFlags: config.compatibilityFlags,
  bindings: config.bindings,
  host: config.host,
  port: config.port,
  log: new Log(LogLevel.INFO),
  // No request.cf from Cloudflare: these machines must not reach it.
  cf: false,
});

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
