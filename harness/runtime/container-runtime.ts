import { createWriteStream } from "node:fs";
import { copyFile, mkdir, rm } from "node:fs/promises";
import { basename, join } from "node:path";
import { RestateContainer } from "@restatedev/restate-sdk-testcontainers";
import { GenericContainer, getContainerRuntimeClient, type StartedTestContainer } from "testcontainers";
import { isAdminReady, isIngressReady } from "../restate/admin.js";
import { NexusError } from "../system/errors.js";
import { isAlive } from "../system/proc.js";
import { waitFor } from "../system/wait.js";
import { restateBinary } from "./binary-runtime.js";
import { containerEngineMissing, findContainerEngine } from "./container-engine.js";
import { ensureRestateImage, restateImageName } from "./restate-image.js";
import type { RestateEndpoints, RestateRuntime, StartedRestate } from "./runtime.js";
import { singleServerEnv } from "./server-env.js";

/** Label on every container the harness starts: the pid of the harness that owns it. */
const OWNER_LABEL = "nexus.owner-pid";
const DATA_IN_CONTAINER = "/restate-data";
/** Server settings that name a file on the host: the file is copied onto the bind mount and the setting points there. */
const FILE_SETTINGS = ["RESTATE_WORKER__INVOKER__REQUEST_IDENTITY_PRIVATE_KEY_PEM_FILE"];

/** `serverEnv` with every host file it names copied into `dataDir` and named by its path inside the container. */
async function filesIntoContainer(serverEnv: Record<string, string>, dataDir: string): Promise<Record<string, string>> {
  const env = { ...serverEnv };
  for (const name of FILE_SETTINGS) {
    const hostPath = env[name];
    if (hostPath === undefined) continue;
    await copyFile(hostPath, join(dataDir, basename(hostPath)));
    env[name] = `${DATA_IN_CONTAINER}/${basename(hostPath)}`;
  }
  return env;
}

/** Options of the container runtime. */
export interface ContainerRuntimeOptions {
  workDir: string;
  serverEnv?: Record<string, string>;
  readyTimeoutMs?: number;
  /** Progress lines (image pulled or built). */
  log?: (line: string) => void;
}

/** Removes containers left by a harness that died without stopping them (their owner pid is gone). */
async function removeOrphans(): Promise<void> {
  const client = await getContainerRuntimeClient();
  // Every state, not only running ones: a container whose start failed stays "created" after its owner is gone.
  for (const info of await client.container.dockerode.listContainers({ all: true, filters: { label: [OWNER_LABEL] } })) {
    const owner = Number(info.Labels?.[OWNER_LABEL]);
    if (Number.isInteger(owner) && owner > 0 && !isAlive(owner)) {
      await client.container
        .getById(info.Id)
        .remove({ force: true })
        .catch(() => undefined);
    }
  }
}

class StartedContainerRestate implements StartedRestate {
  readonly runtime = "container";
  private container: StartedTestContainer | undefined;
  private stopped = false;

  constructor(
    private readonly image: string,
    readonly version: string,
    private readonly env: Record<string, string>,
    private readonly dataDir: string,
    readonly ingressUrl: string,
    readonly adminUrl: string,
    readonly logPath: string,
    private readonly readyTimeoutMs: number,
  ) {}

  get endpoints(): RestateEndpoints[] {
    return [{ ingressUrl: this.ingressUrl, adminUrl: this.adminUrl }];
  }

  /** Starts a container on the host network (loopback ports, never a bridge), data on a bind mount; waits until ready. */
  async launch(): Promise<void> {
    const base = this.image === restateImageName(this.version) ? new RestateContainer(this.version) : new GenericContainer(this.image);
    this.container = await base
      .withNetworkMode("host")
      .withEnvironment(this.env)
      .withBindMounts([{ source: this.dataDir, target: DATA_IN_CONTAINER, mode: "rw" }])
      .withLabels({ [OWNER_LABEL]: String(process.pid) })
      .start();
    const log = createWriteStream(this.logPath, { flags: "a" });
    (await this.container.logs()).pipe(log);
    await waitFor(async () => (await isAdminReady(this.adminUrl)) && (await isIngressReady(this.ingressUrl)), {
      timeoutMs: this.readyTimeoutMs,
      what: "the Restate container to become ready",
    });
  }

  /** SIGKILLs the container (stop with no grace) and removes it; the data stays on the bind mount. */
  async kill(): Promise<void> {
    await this.container?.stop({ timeout: 0, remove: true });
    this.container = undefined;
  }

  async pause(): Promise<void> {
    if (this.container) await (await getContainerRuntimeClient()).container.getById(this.container.getId()).pause();
  }

  async resume(): Promise<void> {
    if (this.container) await (await getContainerRuntimeClient()).container.getById(this.container.getId()).unpause();
  }

  async restart(): Promise<void> {
    await this.container?.stop({ timeout: 10, remove: true });
    await this.launch();
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await this.container?.stop({ timeout: 10, remove: true });
    if (!process.env.NEXUS_KEEP_DATA) await rm(this.dataDir, { recursive: true, force: true });
  }
}

/** Restate in a container through testcontainers (Docker or Podman), the image following the pinned server version. */
export class ContainerRuntime implements RestateRuntime {
  readonly name = "container";
  constructor(private readonly options: ContainerRuntimeOptions) {}

  async start(): Promise<StartedRestate> {
    const missing = containerEngineMissing();
    if (missing) throw new NexusError("engineMissing", missing);
    process.env.DOCKER_HOST ??= findContainerEngine();
    // Ryuk's image cannot be pulled where no registry is reachable; the harness removes its containers itself.
    process.env.TESTCONTAINERS_RYUK_DISABLED ??= "true";
    const { version } = restateBinary();
    const image = process.env.NEXUS_RESTATE_IMAGE || restateImageName(version);
    const log = this.options.log ?? (() => undefined);
    await removeOrphans();
    const how = await ensureRestateImage(image, log);
    if (how !== "present") log(`image ${image} ${how}`);
    const dataDir = join(this.options.workDir, "restate-data");
    await mkdir(dataDir, { recursive: true });
    const server = await singleServerEnv(DATA_IN_CONTAINER, "nexus");
    const started = new StartedContainerRestate(
      image,
      version,
      { ...server.env, ...(await filesIntoContainer(this.options.serverEnv ?? {}, dataDir)) },
      dataDir,
      server.ingressUrl,
      server.adminUrl,
      join(this.options.workDir, "restate.log"),
      this.options.readyTimeoutMs ?? 60_000,
    );
    try {
      await started.launch();
    } catch (error) {
      await started.stop();
      throw new NexusError("startFailed", `the Restate container did not start: ${(error as Error).message}`);
    }
    return started;
  }
}
