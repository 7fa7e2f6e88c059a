import { existsSync, readFileSync, statSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { NexusError } from "../system/errors.js";
import { projectRoot, TSX_LOADER } from "../system/paths.js";
import { choosePort, LOOPBACK, portIsNamed, stablePort } from "../system/ports.js";
import { ManagedProcess, RestartableService } from "../system/process.js";
import { waitFor } from "../system/wait.js";
import type { WorkerBundle } from "./bundle.js";
import type { HostConfig } from "./miniflare-host.js";

const HOST_SCRIPT = fileURLToPath(new URL("./miniflare-host.ts", import.meta.url));
// tsx runs the TypeScript host script in the child.

/** Options of a Worker run under Miniflare. */
export interface WorkerOptions {
  bundle: WorkerBundle;
  /** Folder for the Worker's log. */
  workDir: string;
  /** nexus's bindings for the Worker, over its config's `vars` and `.dev.vars` secrets (see docs/worker-contract.md). */
  bindings: Record<string, string>;
  readyTimeoutMs?: number;
  /** Open the Worker's inspector on a free loopback port (`StartedWorker.inspectorPort`), for CPU profiles. */
  inspect?: boolean;
}

/** The Worker, running in one workerd under Miniflare in a child process group on a loopback port. */
export class StartedWorker extends RestartableService {
  constructor(
    private readonly options: WorkerOptions,
    readonly port: number,
    readonly logPath: string,
    /** The Worker's inspector (DevTools protocol) port, when started with `inspect`. */
    readonly inspectorPort?: number,
  ) {
    super();
  }

  /** The Worker's base URL, e.g. http://127.0.0.1:8787 */
  get url(): string {
    return `http://${LOOPBACK}:${this.port}`;
  }

  /** Starts Miniflare and waits for its READY line; a host that dies or fails first is a NexusError. */
  async launch(): Promise<void> {
    const { bundle } = this.options;
    const config: HostConfig = {
      entry: bundle.entry,
      modulesRoot: bundle.dir,
      port: this.port,
      host: LOOPBACK,
      workerOptions: bundle.config.workerOptions,
      bindings: this.options.bindings,
      persistDir: join(this.options.workDir, "worker-storage"),
      // A line per Worker request in worker.log, for debugging: it costs a request from workerd to the host on each.
      logRequests: process.env.NEXUS_WORKER_REQUEST_LOG === "1",
      inspectorPort: this.inspectorPort,
    };
    let ready = false;
    let failure: string | undefined;
    const logStart = existsSync(this.logPath) ? statSync(this.logPath).size : 0;
    const host = ManagedProcess.start({
      name: "worker (miniflare)",
      command: process.execPath,
      args: ["--import", TSX_LOADER, HOST_SCRIPT, JSON.stringify(config)],
      cwd: projectRoot,
      logPath: this.logPath,
      parentDeathSignal: "SIGTERM",
      onLine: (line) => {
        if (line.startsWith("READY ")) ready = true;
        if (line.startsWith("FAILED ")) failure = line.slice(7);
      },
    });
    this.process = host;
    try {
      await waitFor(async () => ready, {
        timeoutMs: this.options.readyTimeoutMs ?? 60_000,
        what: "the Worker (Miniflare) to listen",
        failFast: () => (failure !== undefined ? new Error(failure) : host.running ? undefined : new Error("the Miniflare host exited")),
      });
    } catch (error) {
      await host.kill();
      const tail = readFileSync(this.logPath).subarray(logStart).toString("utf8").split("\n").filter(Boolean).slice(-5).join(" | ");
      const inUse = /address already in use|EADDRINUSE/i.test(tail);
      throw new NexusError(
        inUse ? "portInUse" : "startFailed",
        inUse
          ? `port ${this.port} (Worker) in use: set NEXUS_WORKER_PORT to another port or stop the other server`
          : `the Worker did not start (${failure ?? (error as Error).message}); see ${this.logPath}: ${tail.slice(-400)}`,
      );
    }
  }

  /** Stops the Worker for good. Safe to call twice. */
  async stop(): Promise<void> {
    await this.stopOnce(3_000);
  }
}

/** How many free ports a first start tries when another process takes the chosen one before workerd binds it. */
const START_ATTEMPTS = 3;

/**
 * Starts a bundled Worker under Miniflare on a free loopback port, or on NEXUS_WORKER_PORT. A chosen port that
 * another process takes between the choice and workerd's bind is replaced by another one; a named one is not.
 */
export async function startWorker(options: WorkerOptions): Promise<StartedWorker> {
  await mkdir(options.workDir, { recursive: true });
  for (let attempt = 1; ; attempt++) {
    const port = await choosePort("Worker", "NEXUS_WORKER_PORT");
    // The inspector comes back on its port when the Worker is restarted, as the Worker does: a stable one.
    const inspectorPort = options.inspect ? await stablePort() : undefined;
    const worker = new StartedWorker(options, port, join(options.workDir, "worker.log"), inspectorPort);
    try {
      await worker.launch();
      return worker;
    } catch (error) {
      const retry = error instanceof NexusError && error.kind === "portInUse" && !portIsNamed("NEXUS_WORKER_PORT");
      if (!retry || attempt === START_ATTEMPTS) throw error;
    }
  }
}
