import { existsSync, readFileSync } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { arch, platform } from "node:os";
import { dirname, join } from "node:path";
import { isAdminReady, isIngressReady } from "../restate/admin.js";
import { NexusError } from "../system/errors.js";
import { ManagedProcess, RestartableService } from "../system/process.js";
import { waitFor } from "../system/wait.js";
import type { RestateBinary, RestateEndpoints, RestateRuntime, StartedRestate } from "./runtime.js";
import { singleServerEnv } from "./server-env.js";

const require = createRequire(import.meta.url);
const NODE_NAME = "nexus";

/** Options of the native-binary runtime. */
export interface BinaryRuntimeOptions {
  /** Folder for the server's data (kept across kill/restart) and log. */
  workDir: string;
  /** Extra server settings as environment variables (e.g. RESTATE_WORKER__INVOKER__INACTIVITY_TIMEOUT). */
  serverEnv?: Record<string, string>;
  /** How long to wait for the server to become ready. */
  readyTimeoutMs?: number;
  /** The server to run (default: restateBinary()), e.g. an older release an upgrade starts from. */
  binary?: RestateBinary;
}

/** How long an upgrade lets the old server shut down by itself before it is killed. */
const UPGRADE_GRACE_MS = 30_000;

/** The restate-server binary: NEXUS_RESTATE_BIN, else the one npm installed for this platform. */
export function restateBinary(): RestateBinary {
  const override = process.env.NEXUS_RESTATE_BIN;
  if (override) {
    if (!existsSync(override))
      throw new NexusError("binaryMissing", `NEXUS_RESTATE_BIN=${override} does not exist: point it at a restate-server binary or unset it`);
    return { path: override, version: "custom" };
  }
  const pkg = `@restatedev/restate-server-${platform()}-${arch()}`;
  try {
    const manifest = require.resolve(`${pkg}/package.json`);
    const { version } = JSON.parse(readFileSync(manifest, "utf8")) as { version: string };
    return { path: join(dirname(manifest), "bin", "restate-server"), version };
  } catch {
    throw new NexusError("binaryMissing", `restate-server binary not found (${pkg}): run \`npm install\`, or set NEXUS_RESTATE_BIN to a restate-server binary`);
  }
}

class StartedBinaryRestate extends RestartableService implements StartedRestate {
  readonly runtime = "binary";

  constructor(
    private binary: RestateBinary,
    private readonly env: Record<string, string>,
    private readonly workDir: string,
    private readonly dataDir: string,
    readonly ingressUrl: string,
    readonly adminUrl: string,
    readonly logPath: string,
    readonly metricsUrl: string,
    private readonly readyTimeoutMs: number,
  ) {
    super();
  }

  get version(): string {
    return this.binary.version;
  }

  get endpoints(): RestateEndpoints[] {
    return [{ ingressUrl: this.ingressUrl, adminUrl: this.adminUrl }];
  }

  /** Spawns the server and waits until admin, partitions and ingress answer; a server that exits early fails fast. */
  async launch(): Promise<void> {
    const server = ManagedProcess.start({
      name: "restate-server",
      command: this.binary.path,
      args: [],
      env: this.env,
      // Restate binds unix sockets under its data dir by a path relative to its working directory; starting it
      // in the work dir keeps that path short (a socket path has at most 107 bytes).
      cwd: this.workDir,
      logPath: this.logPath,
      parentDeathSignal: "SIGKILL",
    });
    this.process = server;
    try {
      await waitFor(async () => (await isAdminReady(this.adminUrl)) && (await isIngressReady(this.ingressUrl)), {
        timeoutMs: this.readyTimeoutMs,
        what: "restate-server to become ready",
        failFast: () => (server.running ? undefined : new Error("restate-server exited")),
      });
    } catch (error) {
      await server.stop(1_000);
      const tail = readFileSync(this.logPath, "utf8").split("\n").filter(Boolean).slice(-5).join(" | ");
      const inUse = /address already in use/i.test(tail);
      throw new NexusError(
        inUse ? "portInUse" : "startFailed",
        inUse
          ? `restate-server could not bind its ports (${this.ingressUrl}, ${this.adminUrl}): set NEXUS_INGRESS_PORT/NEXUS_ADMIN_PORT or stop the other server`
          : `restate-server did not become ready (${(error as Error).message}); see ${this.logPath}: ${tail.slice(-400)}`,
      );
    }
  }

  /** Stops the server gracefully (killed after UPGRADE_GRACE_MS) and starts `next` on the same ports, settings and (unless `emptyData`) data. */
  async upgrade(next: RestateBinary, options: { emptyData?: boolean } = {}): Promise<{ graceful: boolean }> {
    const old = this.process;
    if (old?.running) await old.stop(UPGRADE_GRACE_MS);
    const graceful = old === undefined || (await old.exited).signal !== "SIGKILL";
    if (options.emptyData) {
      await rm(this.dataDir, { recursive: true, force: true });
      await mkdir(this.dataDir, { recursive: true });
    }
    this.binary = next;
    await this.launch();
    return { graceful };
  }

  async pause(): Promise<void> {
    this.process?.freeze(true);
  }

  async resume(): Promise<void> {
    this.process?.freeze(false);
  }

  /** Stops the server; its data dir is deleted afterwards unless NEXUS_KEEP_DATA is set (the log stays). */
  async stop(): Promise<void> {
    if ((await this.stopOnce()) && !process.env.NEXUS_KEEP_DATA) await rm(this.dataDir, { recursive: true, force: true });
  }
}

/** Restate as the native binary from npm: free loopback ports, its own data dir, a fixed node name. */
export class BinaryRuntime implements RestateRuntime {
  readonly name = "binary";
  constructor(private readonly options: BinaryRuntimeOptions) {}

  async start(): Promise<StartedRestate> {
    const binary = this.options.binary ?? restateBinary();
    const dataDir = join(this.options.workDir, "restate-data");
    await mkdir(dataDir, { recursive: true });
    const server = await singleServerEnv(dataDir, NODE_NAME);
    const started = new StartedBinaryRestate(
      binary,
      { ...server.env, ...this.options.serverEnv },
      this.options.workDir,
      dataDir,
      server.ingressUrl,
      server.adminUrl,
      join(this.options.workDir, "restate.log"),
      server.metricsUrl,
      this.options.readyTimeoutMs ?? 60_000,
    );
    await started.launch();
    return started;
  }
}
