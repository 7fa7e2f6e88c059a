import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import { arch, platform } from "node:os";
import { dirname, join } from "node:path";

const require = createRequire(import.meta.url);

/** Wraps a command to run elsewhere (e.g. `ip netns exec <ns> command args`). */
export type CommandWrapper = (command: string, args: string[]) => { command: string; args: string[] };

/**
 * Runs `restatectl -s <fabricUrl> <args>` (the npm binary), through `wrap` if given (e.g. inside a node's network
 * namespace), and returns its output without colour codes.
 */
export async function restatectl(fabricUrl: string, args: string[], wrap?: CommandWrapper): Promise<string> {
  const binary = join(dirname(require.resolve(`@restatedev/restatectl-${platform()}-${arch()}/package.json`)), "bin", "restatectl");
  const own = { command: binary, args: ["-s", fabricUrl, ...args] };
  const { command, args: argv } = wrap ? wrap(own.command, own.args) : own;
  return new Promise((resolve, reject) => {
    execFile(command, argv, { timeout: 10_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`restatectl ${args.join(" ")} failed: ${stderr.trim() || error.message}`));
      else resolve(stdout.replace(/\x1b\[[0-9;]*m/g, ""));
    });
  });
}

/** How many partitions each node (by number) leads, from the LEADER column of `restatectl status`. */
export function leadersPerNode(status: string): Map<number, number> {
  const lines = status.split("\n");
  const header = lines.find((l) => /\bLEADER\b/.test(l));
  const counts = new Map<number, number>();
  if (!header) return counts;
  const column = header.trim().split(/\s+/).indexOf("LEADER");
  for (const line of lines.filter((l) => /^\s*N\d+/.test(l))) {
    const cells = line.trim().split(/\s+/);
    counts.set(Number(/^N(\d+)/.exec(cells[0]!)![1]), Number(cells[column]) || 0);
  }
  return counts;
}

/** The partitions that have a leader, summed over the LEADER column of `restatectl status`. */
export function partitionLeaders(status: string): number {
  return [...leadersPerNode(status).values()].reduce((sum, leads) => sum + leads, 0);
}

/** The node (its number) that leads the most partitions in `restatectl status`, or undefined when none leads any. */
export function leadingNode(status: string): number | undefined {
  const [best] = [...leadersPerNode(status)].filter(([, leads]) => leads > 0).sort((a, b) => b[1] - a[1]);
  return best?.[0];
}
