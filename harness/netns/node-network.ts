import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LOOPBACK } from "../system/ports.js";
import type { ManagedProcess } from "../system/process.js";
import { startBridge } from "./bridge.js";
import { NetworkMesh, nodeAddress } from "./mesh.js";
import type { Forwarding } from "./socket-bridge.js";

/** The ports a node listens on inside its own namespace (each namespace has its own ports, so every node uses the same). */
export const NODE_PORTS = { fabric: 5122, admin: 9070, ingress: 8080 };

/** The loopback ports of the harness's own network where a node's admin API and ingress are bridged to. */
export interface BridgedPorts {
  admin: number;
  ingress: number;
}

/**
 * A cluster's network: each node in its own namespace (NetworkMesh), with its admin API and ingress bridged to
 * loopback ports of the harness's network through Unix sockets, and servers of the harness (the Worker) bridged into
 * every namespace at the same loopback address. Nothing is routed between the namespaces and the harness's network.
 */
export class NodeNetwork {
  private readonly bridges: ManagedProcess[] = [];
  private readonly reached = new Set<number>();

  private constructor(
    private readonly mesh: NetworkMesh,
    private readonly socketDir: string,
    private readonly logDir: string,
  ) {}

  /** Builds the namespaces and the bridges of the nodes' admin and ingress ports to `ports` (one entry per node). */
  static async create(ports: BridgedPorts[], logDir: string): Promise<NodeNetwork> {
    const mesh = await NetworkMesh.create(ports.length);
    const network = new NodeNetwork(mesh, await mkdtemp(join(tmpdir(), "nexus-net-")), logDir);
    try {
      const outside: Forwarding[] = [];
      for (const [i, port] of ports.entries()) {
        const node = i + 1;
        const inside: Forwarding[] = (["admin", "ingress"] as const).map((kind) => ({
          listen: { path: network.socket(`n${node}-${kind}`) },
          target: { host: LOOPBACK, port: NODE_PORTS[kind] },
        }));
        await network.bridge(`bridge in n${node}`, inside, node);
        outside.push(
          ...(["admin", "ingress"] as const).map((kind) => ({
            listen: { host: LOOPBACK, port: port[kind] },
            target: { path: network.socket(`n${node}-${kind}`) },
          })),
        );
      }
      await network.bridge("bridge to the nodes", outside);
    } catch (error) {
      await network.stop();
      throw error;
    }
    return network;
  }

  get nodes(): number[] {
    return this.mesh.namespaces.map((_, i) => i + 1);
  }

  private socket(name: string): string {
    return join(this.socketDir, `${name}.sock`);
  }

  private async bridge(name: string, forwardings: Forwarding[], node?: number): Promise<void> {
    const wrap = node === undefined ? undefined : this.wrap(node);
    this.bridges.push(await startBridge({ name, forwardings, logPath: join(this.logDir, `${name.replaceAll(" ", "-")}.log`), wrap }));
  }

  /** Runs a command inside node `node`'s namespace. */
  wrap(node: number): (command: string, args: string[]) => { command: string; args: string[] } {
    return (command, args) => this.mesh.inNamespace(node, command, args);
  }

  /** The fabric URL node `node` listens on and advertises to its peers. */
  fabricUrl(node: number): string {
    return `http://${nodeAddress(node)}:${NODE_PORTS.fabric}`;
  }

  async cut(a: number, b: number): Promise<void> {
    await this.mesh.cut(a, b);
  }

  async healAll(): Promise<void> {
    await this.mesh.healAll();
  }

  /** Bridges the harness's loopback server at `url` into every namespace under the same address; returns `url`. */
  async reach(url: string): Promise<string> {
    const port = Number(new URL(url).port);
    if (this.reached.has(port)) return url;
    this.reached.add(port);
    const socket = this.socket(`host-${port}`);
    await this.bridge(`bridge from the nodes to port ${port}`, [{ listen: { path: socket }, target: { host: LOOPBACK, port } }]);
    for (const node of this.nodes)
      await this.bridge(`bridge in n${node} to port ${port}`, [{ listen: { host: LOOPBACK, port }, target: { path: socket } }], node);
    return url;
  }

  /** Stops every bridge and removes the namespaces and sockets. Safe to call twice. */
  async stop(): Promise<void> {
    await Promise.all(this.bridges.splice(0).map((b) => b.stop(1_000)));
    await this.mesh.remove();
    await rm(this.socketDir, { recursive: true, force: true });
  }
}
