import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { isAdminReady, isIngressReady } from "../restate/admin.js";
import { NexusError } from "../system/errors.js";
import { choosePort, LOOPBACK } from "../system/ports.js";
import { NODE_PORTS, NodeNetwork } from "../netns/node-network.js";
import { ManagedProcess, RestartableService } from "../system/process.js";
import { waitFor } from "../system/wait.js";
import { restateBinary } from "./binary-runtime.js";
import { partitionLeaders, restatectl, type CommandWrapper } from "./restatectl.js";
import { HARNESS_SERVER_ENV } from "./server-env.js";
import type { NodeLinks, RestateEndpoints, RestateRuntime, StartedRestate } from "./runtime.js";

/** Partitions of a new cluster (Restate's default); the cluster is ready when every one has a leader. */
export const CLUSTER_PARTITIONS = 24;

/**
 * Settings of every node, under the caller's own. A node Restate's failure detector sees (again) stays Suspect for
 * `gossip-suspect-interval` (5 s by default, against flapping links) before partitions are placed on it: on loopback
 * and in the harness's namespaces, whose links fail only when a gate cuts them, 1 s makes a new cluster ready in
 * about 6.5 s instead of 11 and a killed node take partitions again in 1.5-5 s instead of 6-11; the faults and what the
 * checkers judge are the same.
 */
const CLUSTER_SERVER_ENV: Readonly<Record<string, string>> = { RESTATE_GOSSIP_SUSPECT_INTERVAL: "1s" };

/** Options of the three-node cluster runtime. */
export interface ClusterRuntimeOptions {
  workDir: string;
  /** Extra server settings as environment variables, for every node. */
  serverEnv?: Record<string, string>;
  nodes?: number;
  readyTimeoutMs?: number;
  /** Run each node in its own network namespace, joined to the others by links the harness can cut (root, `ip`, `nft`). */
  isolatedNodes?: boolean;
}

/** One node of the cluster: its own process, data dir and ports. */
class ClusterNode extends RestartableService {
  constructor(
    readonly index: number,
    private readonly binaryPath: string,
    private readonly env: Record<string, string>,
    private readonly workDir: string,
    readonly ingressUrl: string,
    readonly adminUrl: string,
    readonly logPath: string,
    private readonly readyTimeoutMs: number,
    private readonly wrap?: CommandWrapper,
  ) {
    super();
  }

  /** Starts the node's process (readiness is the cluster's to judge: a node alone may not be ready). */
  spawn(): void {
    const { command, args } = this.wrap ? this.wrap(this.binaryPath, []) : { command: this.binaryPath, args: [] };
    this.process = ManagedProcess.start({
      name: `restate-server n${this.index}`,
      command,
      args,
      env: this.env,
      cwd: this.workDir,
      logPath: this.logPath,
      parentDeathSignal: "SIGKILL",
    });
  }

  /** Starts the node and waits until its admin API, partitions and ingress answer. */
  async launch(): Promise<void> {
    this.spawn();
    await this.waitReady();
  }

  async waitReady(): Promise<void> {
    const node = this.process!;
    await waitFor(async () => (await isAdminReady(this.adminUrl)) && (await isIngressReady(this.ingressUrl)), {
      timeoutMs: this.readyTimeoutMs,
      what: `cluster node n${this.index} to become ready`,
      failFast: () => (node.running ? undefined : new Error(`node n${this.index} exited; see ${this.logPath}`)),
    });
  }

  async pause(): Promise<void> {
    this.process?.freeze(true);
  }

  async resume(): Promise<void> {
    this.process?.freeze(false);
  }

  async stop(): Promise<void> {
    await this.stopOnce();
  }
}

/**
 * A Restate cluster of three native servers on loopback: replicated metadata, log and partitions (replication 2),
 * node 1 provisions it. Crash faults hit one node at a time, in turn, so the cluster keeps a majority.
 */
/** The links of a cluster whose nodes run in `network`: its cuts, and restatectl run from a node's own side. */
function linksOf(network: NodeNetwork): NodeLinks {
  return {
    nodes: network.nodes,
    cut: (a, b) => network.cut(a, b),
    healAll: () => network.healAll(),
    restatectl: (args, from) => restatectl(network.fabricUrl(from), args, network.wrap(from)),
  };
}

class StartedCluster implements StartedRestate {
  readonly runtime = "cluster";
  private nextVictim = 0;
  private down: ClusterNode | undefined;

  constructor(
    readonly nodes: ClusterNode[],
    readonly version: string,
    private readonly dataDir: string,
    private readonly network?: NodeNetwork,
  ) {}

  get links(): NodeLinks | undefined {
    return this.network && linksOf(this.network);
  }

  async reach(url: string): Promise<string> {
    return this.network ? this.network.reach(url) : url;
  }

  get ingressUrl(): string {
    return this.nodes[0]!.ingressUrl;
  }

  get adminUrl(): string {
    return this.nodes[0]!.adminUrl;
  }

  get logPath(): string {
    return this.nodes[0]!.logPath;
  }

  /** Every node's endpoints, for clients that spread their calls and fail over. */
  get endpoints(): RestateEndpoints[] {
    return this.nodes.map((n) => ({ ingressUrl: n.ingressUrl, adminUrl: n.adminUrl }));
  }

  /** SIGKILLs the next node in turn (never a second one while one is down). */
  async kill(): Promise<void> {
    if (this.down) throw new Error(`node n${this.down.index} is already down: restart it before killing another`);
    const victim = this.nodes[this.nextVictim++ % this.nodes.length]!;
    await victim.kill();
    this.down = victim;
  }

  /** Restarts the node that is down, or (when none is) restarts the next node gracefully. */
  async restart(): Promise<void> {
    const node = this.down ?? this.nodes[this.nextVictim++ % this.nodes.length]!;
    await node.restart();
    this.down = undefined;
  }

  /** Pauses the next node in turn; `resume` thaws it. */
  async pause(): Promise<void> {
    this.down = this.nodes[this.nextVictim++ % this.nodes.length]!;
    await this.down.pause();
  }

  async resume(): Promise<void> {
    await this.down?.resume();
    this.down = undefined;
  }

  async stop(): Promise<void> {
    await Promise.all(this.nodes.map((n) => n.stop()));
    await this.network?.stop();
    if (!process.env.NEXUS_KEEP_DATA) await rm(this.dataDir, { recursive: true, force: true });
  }
}

/** Three restate-server processes from the npm binary forming one cluster on loopback. */
export class ClusterRuntime implements RestateRuntime {
  readonly name = "cluster";
  constructor(private readonly options: ClusterRuntimeOptions) {}

  async start(): Promise<StartedRestate> {
    const binary = restateBinary();
    const count = this.options.nodes ?? 3;
    const isolated = this.options.isolatedNodes === true;
    const ports: Array<{ fabric: number; admin: number; ingress: number }> = [];
    for (let i = 1; i <= count; i++) {
      ports.push({
        // Nodes in their own namespaces listen on the same ports there; only admin and ingress are bridged out.
        fabric: isolated ? NODE_PORTS.fabric : await choosePort(`Restate node ${i} fabric`, `NEXUS_CLUSTER_FABRIC_PORT_${i}`),
        admin: await choosePort(`Restate node ${i} admin`, `NEXUS_CLUSTER_ADMIN_PORT_${i}`),
        ingress: await choosePort(`Restate node ${i} ingress`, `NEXUS_CLUSTER_INGRESS_PORT_${i}`),
      });
    }
    const network = isolated ? await NodeNetwork.create(ports, this.options.workDir) : undefined;
    const dataDir = join(this.options.workDir, "restate-data");
    const fabricOf = (i: number) => (network ? network.fabricUrl(i + 1) : `http://${LOOPBACK}:${ports[i]!.fabric}`);
    const fabrics = JSON.stringify(ports.map((_, i) => fabricOf(i)));
    const nodes = await Promise.all(
      ports.map(async (p, i) => {
        const nodeDir = join(dataDir, `n${i + 1}`);
        await mkdir(nodeDir, { recursive: true });
        const listen = network
          ? { fabric: new URL(fabricOf(i)).host, admin: `${LOOPBACK}:${NODE_PORTS.admin}`, ingress: `${LOOPBACK}:${NODE_PORTS.ingress}` }
          : {
              fabric: `${LOOPBACK}:${p.fabric}`,
              admin: `${LOOPBACK}:${p.admin}`,
              ingress: `${LOOPBACK}:${p.ingress}`,
            };
        const env = {
          RESTATE_CLUSTER_NAME: "nexus",
          RESTATE_NODE_NAME: `n${i + 1}`,
          RESTATE_FORCE_NODE_ID: String(i + 1),
          RESTATE_BASE_DIR: nodeDir,
          RESTATE_BIND_ADDRESS: listen.fabric,
          RESTATE_ADVERTISED_ADDRESS: fabricOf(i),
          RESTATE_ADMIN__BIND_ADDRESS: listen.admin,
          RESTATE_INGRESS__BIND_ADDRESS: listen.ingress,
          RESTATE_METADATA_CLIENT__ADDRESSES: fabrics,
          RESTATE_DEFAULT_REPLICATION: "2",
          RESTATE_AUTO_PROVISION: i === 0 ? "true" : "false",
          ...CLUSTER_SERVER_ENV,
          ...HARNESS_SERVER_ENV,
          ...this.options.serverEnv,
        };
        return new ClusterNode(
          i + 1,
          binary.path,
          env,
          nodeDir,
          `http://${LOOPBACK}:${p.ingress}`,
          `http://${LOOPBACK}:${p.admin}`,
          join(this.options.workDir, `restate-n${i + 1}.log`),
          this.options.readyTimeoutMs ?? 120_000,
          network?.wrap(i + 1),
        );
      }),
    );
    const cluster = new StartedCluster(nodes, binary.version, dataDir, network);
    try {
      for (const node of nodes) node.spawn();
      await Promise.all(nodes.map((n) => n.waitReady()));
      const status = await waitFor(
        async () => {
          const text = network ? await linksOf(network).restatectl(["status"], 1) : await restatectl(fabricOf(0), ["status"]);
          return partitionLeaders(text) >= CLUSTER_PARTITIONS ? text : undefined;
        },
        // Each look runs restatectl (a process): a quarter second apart, not to take the CPU from the starting nodes.
        { timeoutMs: this.options.readyTimeoutMs ?? 120_000, intervalMs: 250, what: `every one of the ${CLUSTER_PARTITIONS} partitions to have a leader` },
      );
      await writeFile(join(this.options.workDir, "cluster-status.txt"), status);
    } catch (error) {
      await cluster.stop();
      throw new NexusError("startFailed", `the Restate cluster did not become ready: ${(error as Error).message}`);
    }
    return cluster;
  }
}
