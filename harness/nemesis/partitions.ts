import { leadingNode } from "../runtime/restatectl.js";
import type { NodeLinks } from "../runtime/runtime.js";
import type { Random } from "../system/random.js";
import { waitFor } from "../system/wait.js";

/** A link between two nodes (their numbers). */
export type Link = readonly [number, number];

/** A partition of a cluster's network: its name, the links it cuts, and what chose them. */
export interface NetworkFault {
  fault: "isolate-one" | "isolate-leader" | "majority-minority" | "bridge";
  cuts: Link[];
  /** The sides of the cut (each a list of nodes that still see each other), or the bridge's hub. */
  detail: Record<string, unknown>;
}

/** Every pair of distinct nodes among `nodes`. */
function pairs(nodes: number[]): Link[] {
  return nodes.flatMap((a, i) => nodes.slice(i + 1).map((b) => [a, b] as const));
}

/** The links across two sides: every node of `side` cut off from every node outside it. */
export function linksAcross(side: number[], nodes: number[]): Link[] {
  return pairs(nodes).filter(([a, b]) => side.includes(a) !== side.includes(b));
}

/** The links of a bridge: every link not touching `hub`, so the hub sees every node and the others see only the hub. */
export function linksAroundHub(hub: number, nodes: number[]): Link[] {
  return pairs(nodes).filter(([a, b]) => a !== hub && b !== hub);
}

/** One node cut off from all the others. */
export function isolateOne(node: number, nodes: number[]): NetworkFault {
  return { fault: "isolate-one", cuts: linksAcross([node], nodes), detail: { isolated: node } };
}

/** How long `isolateLeader` waits for the node it asks to show a leader (its view can lag the cluster's after a heal). */
const LEADER_PATIENCE_MS = 30_000;

/**
 * The node that leads the most partitions (per `restatectl status`, asked from `from`) cut off from the others. A node
 * that shows no leader yet is asked again until it does (up to LEADER_PATIENCE_MS), then the error says so.
 */
export async function isolateLeader(links: NodeLinks, from: number): Promise<NetworkFault> {
  const leader = await waitFor(async () => leadingNode(await links.restatectl(["status"], from)), {
    timeoutMs: LEADER_PATIENCE_MS,
    intervalMs: 250,
    what: `restatectl status, asked from node ${from}, to show a node leading a partition`,
  });
  return { fault: "isolate-leader", cuts: linksAcross([leader], links.nodes), detail: { isolated: leader } };
}

/** A random minority (fewer than half the nodes, at least one) cut off from the majority. */
export function majorityMinority(nodes: number[], random: Random): NetworkFault {
  const rest = [...nodes];
  const minority: number[] = [];
  while (minority.length < Math.max(1, Math.floor((nodes.length - 1) / 2))) minority.push(rest.splice(random.int(0, rest.length - 1), 1)[0]!);
  minority.sort((a, b) => a - b);
  return { fault: "majority-minority", cuts: linksAcross(minority, nodes), detail: { minority, majority: nodes.filter((n) => !minority.includes(n)) } };
}

/** A bridge: `hub` sees every node, the other nodes do not see each other. */
export function bridge(hub: number, nodes: number[]): NetworkFault {
  return { fault: "bridge", cuts: linksAroundHub(hub, nodes), detail: { hub } };
}

/** Cuts every link of `fault`. */
export async function applyFault(links: NodeLinks, fault: NetworkFault): Promise<void> {
  for (const [a, b] of fault.cuts) await links.cut(a, b);
}
