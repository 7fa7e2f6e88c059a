import { execFileSync, spawn } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { NexusError } from "../system/errors.js";
import { isAlive } from "../system/proc.js";

/** Where `ip netns add` keeps its namespaces. */
const NETNS_DIR = "/run/netns";
/** Every namespace the harness makes starts with this, then the pid of the process that made it. */
const NAME_PREFIX = "nexus-";
const TOOL_DIRS = ["/usr/sbin", "/sbin", "/usr/bin", "/bin"];

let meshes = 0;

/** The address of node `index` (from 1) inside its namespace: on its loopback, reached by its peers over their links. */
export function nodeAddress(index: number): string {
  return `127.0.1.${index}`;
}

function tool(name: string): string | undefined {
  const dirs = [...(process.env.PATH ?? "").split(":").filter(Boolean), ...TOOL_DIRS];
  return dirs.map((dir) => join(dir, name)).find((path) => existsSync(path));
}

/** Why the harness cannot build network namespaces on this machine (one line saying what to do), or undefined when it can. */
export function netnsMissing(): string | undefined {
  if (process.platform !== "linux") return "network namespaces are Linux's: run on Linux to cut links between cluster nodes";
  if (process.getuid?.() !== 0) return "network namespaces need root: run as root to cut links between cluster nodes";
  if (tool("ip") === undefined) return "`ip` is not installed: apt-get install iproute2";
  if (tool("nft") === undefined) return "`nft` is not installed: apt-get install nftables";
  return undefined;
}

function run(command: string, args: string[], input?: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: [input === undefined ? "ignore" : "pipe", "ignore", "pipe"] });
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    child.once("error", reject);
    child.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`${command} ${args.join(" ")} failed (exit ${code}): ${stderr.trim()}`))));
    // A command that exits before reading its input fails by its exit code, not by the broken pipe.
    child.stdin?.on("error", () => undefined).end(input);
  });
}

/** Deletes the namespaces earlier harness processes made and left behind when they died (their pid is gone). */
function removeOrphans(ip: string): void {
  if (!existsSync(NETNS_DIR)) return;
  for (const name of readdirSync(NETNS_DIR)) {
    const owner = Number(name.slice(NAME_PREFIX.length).split("-")[0]);
    if (!name.startsWith(NAME_PREFIX) || !Number.isInteger(owner) || isAlive(owner)) continue;
    try {
      execFileSync(ip, ["netns", "del", name], { stdio: "ignore" });
    } catch {
      // Another harness may have removed it first.
    }
  }
}

/** The drop rules of one node's namespace: packets to or from a peer whose address is in the `cut` set are dropped. */
const RULES = `table inet nexus {
  set cut { type ipv4_addr; }
  chain input { type filter hook input priority 0; policy accept; ip saddr @cut drop; }
  chain output { type filter hook output priority 0; policy accept; ip daddr @cut drop; }
}
`;

/**
 * One network namespace per node, joined pairwise by veth links (a full mesh), with nothing routed out of them. Node i
 * has address 127.0.1.i (route_localnet lets loopback addresses cross a link); its own 127.0.0.1 stays its own.
 * Cutting a link drops its packets silently both ways (nftables in the two namespaces), as a failed switch would.
 */
export class NetworkMesh {
  private removed = false;
  private readonly removeOnExit = () => this.removeNow();

  private constructor(
    private readonly ip: string,
    private readonly nft: string,
    readonly namespaces: string[],
  ) {}

  /** Builds the namespaces and links of `nodes` nodes; on failure removes what it made and throws a NexusError. */
  static async create(nodes: number): Promise<NetworkMesh> {
    const missing = netnsMissing();
    if (missing !== undefined) throw new NexusError("startFailed", missing);
    const ip = tool("ip")!;
    removeOrphans(ip);
    const tag = `${NAME_PREFIX}${process.pid}-${++meshes}`;
    const mesh = new NetworkMesh(
      ip,
      tool("nft")!,
      Array.from({ length: nodes }, (_, i) => `${tag}-n${i + 1}`),
    );
    process.on("exit", mesh.removeOnExit);
    try {
      await mesh.build();
    } catch (error) {
      await mesh.remove();
      throw new NexusError("startFailed", `could not build the cluster's network namespaces: ${(error as Error).message}`);
    }
    return mesh;
  }

  /** The namespace node `index` (from 1) runs in. */
  namespaceOf(index: number): string {
    return this.namespaces[index - 1]!;
  }

  /** The command and arguments that run `command args` inside node `index`'s namespace. */
  inNamespace(index: number, command: string, args: string[]): { command: string; args: string[] } {
    return { command: this.ip, args: ["netns", "exec", this.namespaceOf(index), command, ...args] };
  }

  private sysctl(index: number, settings: Record<string, string>): Promise<void> {
    const script = Object.entries(settings)
      .map(([key, value]) => `echo ${value} > /proc/sys/${key.replaceAll(".", "/")}`)
      .join(" && ");
    return run(this.ip, ["netns", "exec", this.namespaceOf(index), "sh", "-c", script]);
  }

  private async build(): Promise<void> {
    const count = this.namespaces.length;
    for (let i = 1; i <= count; i++) {
      const ns = this.namespaceOf(i);
      await run(this.ip, ["netns", "add", ns]);
      await run(this.ip, ["-n", ns, "link", "set", "lo", "up"]);
      await run(this.ip, ["-n", ns, "addr", "add", `${nodeAddress(i)}/32`, "dev", "lo"]);
      // 127.0.0.0/8 is local by default: keep only 127.0.0.1 and the node's own address local, so peers' are routed.
      await run(this.ip, ["-n", ns, "route", "del", "local", "127.0.0.0/8", "dev", "lo", "table", "local"]);
      await this.sysctl(i, { "net.ipv4.conf.all.route_localnet": "1", "net.ipv4.conf.all.rp_filter": "0", "net.ipv4.conf.default.route_localnet": "1" });
      await run(this.ip, ["netns", "exec", ns, this.nft, "-f", "-"], RULES);
    }
    for (let a = 1; a <= count; a++) {
      for (let b = a + 1; b <= count; b++) {
        await run(this.ip, ["link", "add", `to-n${b}`, "netns", this.namespaceOf(a), "type", "veth", "peer", "name", `to-n${a}`, "netns", this.namespaceOf(b)]);
        for (const [self, peer] of [
          [a, b],
          [b, a],
        ] as const) {
          const ns = this.namespaceOf(self);
          await run(this.ip, ["-n", ns, "link", "set", `to-n${peer}`, "up"]);
          await this.sysctl(self, { [`net.ipv4.conf.to-n${peer}.route_localnet`]: "1", [`net.ipv4.conf.to-n${peer}.rp_filter`]: "0" });
          await run(this.ip, ["-n", ns, "route", "add", `${nodeAddress(peer)}/32`, "dev", `to-n${peer}`, "src", nodeAddress(self)]);
        }
      }
    }
  }

  /** Cuts the link between nodes `a` and `b`: from now on every packet between them is dropped, both ways. */
  async cut(a: number, b: number): Promise<void> {
    await this.drop(a, b);
    await this.drop(b, a);
  }

  /** Restores every cut link. */
  async healAll(): Promise<void> {
    for (let i = 1; i <= this.namespaces.length; i++)
      await run(this.ip, ["netns", "exec", this.namespaceOf(i), this.nft, "flush", "set", "inet", "nexus", "cut"]);
  }

  private drop(self: number, peer: number): Promise<void> {
    return run(this.ip, ["netns", "exec", this.namespaceOf(self), this.nft, "add", "element", "inet", "nexus", "cut", `{ ${nodeAddress(peer)} }`]);
  }

  /** Deletes every namespace (and with them the links). Safe to call twice. */
  async remove(): Promise<void> {
    if (this.removed) return;
    this.removed = true;
    process.off("exit", this.removeOnExit);
    for (const ns of this.namespaces) await run(this.ip, ["netns", "del", ns]).catch(() => undefined);
  }

  private removeNow(): void {
    if (this.removed) return;
    this.removed = true;
    for (const ns of this.namespaces) {
      try {
        execFileSync(this.ip, ["netns", "del", ns], { stdio: "ignore" });
      } catch {
        // Not made yet, or gone already.
      }
    }
  }
}
