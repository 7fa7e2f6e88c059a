import { mkdir } from "node:fs/promises";
import { registerDeployment, waitUntilServed } from "../restate/admin.js";
import { BookingClient } from "../restate/client.js";
import { PaymentGateway } from "../gateway/gateway.js";
import { CrashPoints } from "../nemesis/crash-points.js";
import { newRunDir } from "../store/run-dirs.js";
import { NexusError } from "../system/errors.js";
import { netnsMissing } from "../netns/mesh.js";
import { BinaryRuntime } from "../runtime/binary-runtime.js";
import { ClusterRuntime } from "../runtime/cluster-runtime.js";
import { ContainerRuntime } from "../runtime/container-runtime.js";
import { RemoteRuntime, type RemoteTarget } from "../runtime/remote-runtime.js";
import { restateRelease } from "../runtime/restate-release.js";
import type { RestateBinary, RestateRuntime, StartedRestate } from "../runtime/runtime.js";
import { newSigningKeys, signingServerEnv } from "../restate/signing.js";
import type { WorkerDescription } from "../worker/worker-description.js";
import type { JudgedWorker } from "../worker/worker-under-test.js";
import { startWorker } from "../worker/worker-process.js";

/** Options of startStack: the Worker under test, as its caller resolved it, and the rest optional. */
export interface StackOptions {
  /** Folder for logs and data (default: a new one under reports/out/). */
  runDir?: string;
  /** The Worker under test: its description, and its bundle when the harness runs it (not for a deployed one). */
  worker: JudgedWorker;
  /** Worker environment on top of the harness defaults (e.g. HOLD_TTL_MS). */
  workerEnv?: Record<string, string>;
  /** Restate server settings as environment variables (every runtime; every node of a cluster). */
  restateEnv?: Record<string, string>;
  /** How to get a Restate (default: the one `runtimeName` names). */
  runtime?: RestateRuntime;
  /** "binary" (one native server), "container" (testcontainers) or "cluster" (three); default NEXUS_RUNTIME, else "binary". */
  runtimeName?: string;
  /** Wire the Worker's crash points to the harness (NEXUS_CRASHPOINT_URL), for crash tests. */
  crashPoints?: boolean;
  /** Use an existing Restate environment instead of starting one (see RemoteStackTarget). */
  remote?: RemoteStackTarget;
  /** A cluster only: run each node in its own network namespace, so the links between nodes can be cut (root, `ip`, `nft`). */
  isolatedNodes?: boolean;
  /** Open the inspector of the Worker the harness runs (`WorkerEndpoint.inspectorPort`), to read its isolate's memory. */
  inspectWorker?: boolean;
  /** The Restate release to start (the binary runtime only; default the one npm installed), fetched once if need be. */
  restateRelease?: string;
}

/** A remote Restate environment, and which Worker it should call. */
export interface RemoteStackTarget extends RemoteTarget {
  /** A deployed Worker's URL (e.g. https://nexus.<account>.workers.dev) to register; unset: the harness's local Worker. */
  workerUrl?: string;
  /** Register the Worker with the environment (default); false: use the deployment already registered there. */
  register: boolean;
}

/** The Worker a stack's Restate calls: the harness's own (it can kill and restart it) or a deployed one. */
export interface WorkerEndpoint {
  readonly url: string;
  readonly logPath: string | undefined;
  /** The Worker's inspector port, when the harness runs it with `inspectWorker`. */
  readonly inspectorPort?: number;
  kill(): Promise<void>;
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** What a stack lets a gate do beyond calling the booking API. */
export interface StackCapabilities {
  /** Kill, pause and restart Restate (the harness runs it). */
  restateFaults: boolean;
  /** Give Restate settings, such as the key it signs its requests to the Worker with (the harness runs it). */
  restateSettings: boolean;
  /** Kill and restart the Worker, give it settings, and see its charges in the gateway stand-in's ledger (the harness runs it). */
  workerControl: boolean;
  /** Call the Worker's own routes directly, such as the mock payment route (the harness runs it, or was given its URL). */
  workerReachable: boolean;
  /** Cut the links between Restate nodes (a cluster the harness runs, as root with `ip` and `nft`). */
  networkFaults: boolean;
  /** Start Restate as another release and upgrade it in place (the native binary the harness runs). */
  restateUpgrade: boolean;
}

/** What a stack started with `options` (on the runtime `runtimeName` names, default NEXUS_RUNTIME or "binary") will let gates do. */
export function capabilitiesOf(options: Pick<StackOptions, "remote" | "runtimeName">): StackCapabilities {
  const remote = options.remote;
  const workerControl = remote === undefined || (remote.workerUrl === undefined && remote.register);
  const runtimeName = options.runtimeName ?? process.env.NEXUS_RUNTIME ?? "binary";
  return {
    networkFaults: remote === undefined && runtimeName === "cluster" && netnsMissing() === undefined,
    restateUpgrade: remote === undefined && runtimeName === "binary",
    restateFaults: remote === undefined,
    restateSettings: remote === undefined,
    workerControl,
    workerReachable: workerControl || remote?.workerUrl !== undefined,
  };
}

/** A Worker deployed elsewhere: the harness only knows its URL. */
function deployedWorker(url: string): WorkerEndpoint {
  const refuse = (what: string) => Promise.reject(new NexusError("usage", `cannot ${what} the deployed Worker at ${url}: the harness does not run it`));
  return { url, logPath: undefined, kill: () => refuse("kill"), restart: () => refuse("restart"), stop: async () => undefined };
}

/** The harness's Worker settings: holds long enough for any gate, no email sleep, quick bounded charge retries. */
export const HARNESS_WORKER_ENV: Readonly<Record<string, string>> = {
  HOLD_TTL_MS: process.env.NEXUS_HOLD_TTL_MS ?? "60000",
  EMAIL_DELAY_MS: "0",
  PAYMENT_MAX_ATTEMPTS: "4",
  PAYMENT_RETRY_INTERVAL_MS: "200",
  PAYMENT_MAX_RETRY_MS: "10000",
  PAYMENT_TIMEOUT_MS: "5000",
};

/** A running stack: Restate, the Worker registered with it, and the payment gateway stand-in. */
export interface Stack extends AsyncDisposable {
  readonly runDir: string;
  readonly restate: StartedRestate;
  readonly worker: WorkerEndpoint;
  readonly capabilities: StackCapabilities;
  /** The Worker under test's description: how its seats are read from Restate, and what it can do. */
  readonly description: WorkerDescription;
  readonly gateway: PaymentGateway;
  readonly client: BookingClient;
  /** The Worker's crash points, when the stack was started with `crashPoints`. */
  readonly crashPoints: CrashPoints | undefined;
  readonly workerEnv: Readonly<Record<string, string>>;
  /** Restate settings this stack was started with, beyond the runtime's own. */
  readonly restateEnv: Readonly<Record<string, string>>;
  /** The one-line JSON `nexus stack` prints (a cluster adds every node's ingress and admin). */
  endpoints(): { ingress: string; admin: string; worker: string; gateway: string; ingresses?: string[]; admins?: string[] };
  /** Stops `stop`'s process with the stack, before the parts the stack started itself (e.g. a second Worker a gate started). */
  adopt(stop: () => Promise<void>): void;
  /** Stops everything it started (Worker, Restate, gateway) and everything it adopted; safe to call twice. */
  stop(): Promise<void>;
}

/** The runtimes `runtimeName` and NEXUS_RUNTIME can name. */
export const RUNTIME_NAMES = ["binary", "container", "cluster"] as const;

/** The Restate runtime called `name`, keeping its data and logs in `runDir`. */
export function runtimeNamed(name: string, runDir: string, serverEnv?: Record<string, string>, isolatedNodes = false, binary?: RestateBinary): RestateRuntime {
  if (name === "binary") return new BinaryRuntime({ workDir: runDir, serverEnv, binary });
  if (name === "cluster") return new ClusterRuntime({ workDir: runDir, serverEnv, isolatedNodes });
  if (name === "container") return new ContainerRuntime({ workDir: runDir, serverEnv, log: (line) => process.stderr.write(`nexus: ${line}\n`) });
  throw new NexusError("usage", `unknown runtime "${name}": choose ${RUNTIME_NAMES.join(" or ")} (NEXUS_RUNTIME or --runtime)`);
}

/** The binary of the release `options.restateRelease` names (fetched once if need be), or undefined for the runtime's own. */
async function releaseToStart(options: StackOptions, capabilities: StackCapabilities): Promise<RestateBinary | undefined> {
  if (options.restateRelease === undefined) return undefined;
  if (options.runtime !== undefined || !capabilities.restateUpgrade)
    throw new NexusError("usage", `Restate ${options.restateRelease} can be started only on the binary runtime the harness runs (--runtime binary)`);
  return restateRelease(options.restateRelease, (line) => process.stderr.write(`nexus: ${line}\n`));
}

/**
 * Starts Restate, the payment gateway and the Worker (with PAYMENT_URL pointing at the gateway), registers the
 * Worker, and returns the stack. On any failure, whatever was already started is stopped before the error is thrown.
 */
export async function startStack(options: StackOptions): Promise<Stack> {
  const runDir = options.runDir ?? newRunDir("stack");
  const stops: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    for (const stop of stops.splice(0).reverse()) await stop().catch(() => undefined);
  };
  try {
    await mkdir(runDir, { recursive: true });
    const remote = options.remote;
    // The harness runs the Worker unless the remote environment is to call a deployed one (named, or already registered).
    const capabilities = capabilitiesOf(options);
    const deployed = !capabilities.workerControl;
    const bundle = deployed ? undefined : options.worker.bundle;
    if (!deployed && bundle === undefined)
      throw new Error("startStack: the harness runs the Worker here, and it was given no bundle (prepareWorker makes one)");
    const { description } = options.worker;
    // Restate signs its requests to the Worker with a key made for this stack; the Worker serves only signed ones.
    // (A remote environment signs with its own key: give the Worker that one, see the README.)
    const keys = remote ? undefined : newSigningKeys(runDir);
    const release = await releaseToStart(options, capabilities);
    const restateEnv = { ...(keys ? signingServerEnv(keys, release?.version) : {}), ...options.restateEnv };
    const runtime =
      options.runtime ??
      (remote
        ? new RemoteRuntime(remote)
        : runtimeNamed(options.runtimeName ?? process.env.NEXUS_RUNTIME ?? "binary", runDir, restateEnv, options.isolatedNodes, release));
    // Restate and the Worker (with the stand-ins it calls) start side by side: neither needs the other until the
    // Worker is registered. Each start adds its own stop as soon as it is up, so stopAll reaches whatever started.
    const restateStart = (async () => {
      const restate = await runtime.start();
      stops.push(() => restate.stop());
      return restate;
    })();
    const workerStart = (async () => {
      const gateway = await PaymentGateway.start();
      stops.push(() => gateway.stop());
      const crashPoints = options.crashPoints ? await CrashPoints.start() : undefined;
      if (crashPoints) stops.push(() => crashPoints.stop());
      const crashEnv: Record<string, string> = crashPoints ? { NEXUS_CRASHPOINT_URL: crashPoints.url } : {};
      const signingEnv: Record<string, string> = keys ? { RESTATE_IDENTITY_KEYS: keys.publicKey } : {};
      const workerEnv = { ...HARNESS_WORKER_ENV, PAYMENT_URL: gateway.chargeUrl, ...signingEnv, ...crashEnv, ...description.bindings, ...options.workerEnv };
      const worker =
        bundle === undefined
          ? deployedWorker(remote?.workerUrl ?? "(the deployment registered there)")
          : await startWorker({ bundle, workDir: runDir, bindings: workerEnv, inspect: options.inspectWorker });
      stops.push(() => worker.stop());
      return { gateway, crashPoints, workerEnv, worker };
    })();
    // Both settle before a failure is thrown, so nothing is still starting when stopAll runs.
    await Promise.allSettled([restateStart, workerStart]);
    const [restate, { gateway, crashPoints, workerEnv, worker }] = await Promise.all([restateStart, workerStart]);
    if (remote === undefined || remote.register) {
      const { services } = await registerDeployment(restate.adminUrl, restate.reach ? await restate.reach(worker.url) : worker.url);
      await waitUntilServed(
        restate.endpoints.map((e) => e.ingressUrl),
        services,
      );
    }
    const stop = stopAll;
    return {
      runDir,
      restate,
      worker,
      gateway,
      workerEnv: deployed ? {} : workerEnv,
      restateEnv: { ...options.restateEnv },
      capabilities,
      description,
      crashPoints,
      client: new BookingClient(restate.endpoints.map((e) => e.ingressUrl)),
      endpoints: () => ({
        ingress: restate.ingressUrl,
        admin: restate.adminUrl,
        worker: worker.url,
        gateway: gateway.url,
        ...(restate.endpoints.length > 1 ? { ingresses: restate.endpoints.map((e) => e.ingressUrl), admins: restate.endpoints.map((e) => e.adminUrl) } : {}),
      }),
      adopt: (stopAlso) => stops.push(stopAlso),
      stop,
      [Symbol.asyncDispose]: stop,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
