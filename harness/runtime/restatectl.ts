import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import { arch, platform } from "node:os";
import { dirname, join } from "node:path";

const require = createRequire(import.meta.url);

/** Runs `restatectl -s <fabricUrl> <args>` (the npm binary) and returns its output without colour codes. */
export async function restatectl(fabricUrl: string, args: string[]): Promise<string> {
  const binary = join(dirname(require.resolve(`@restatedev/restatectl-${platform()}-${arch()}/package.json`)), "bin", "restatectl");
  return new Promise((resolve, reject) => {
    execFile(binary, ["-s", fabricUrl, ...args], { timeout: 10_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`restatectl ${args.join(" ")} failed: ${stderr.trim() || error.message}`));
      else resolve(stdout.replace(/\x1b\[[0-9;]*m/g, ""));
    });
  });
}

/** The partitions that have a leader, summed over the LEADER column of `restatectl status`. */
export function partitionLeaders(status: string): number {
  const lines = status.split("\n");
  const header = lines.find((l) => /\bLEADER\b/.test(l));
  if (!header) return 0;
  const column = header.trim().split(/\s+/).indexOf("LEADER");
  return lines
    .filter((l) => /^\s*N\d+/.test(l))
    .reduce((sum, l) => sum + (Number(l.trim().split(/\s+/)[column]) || 0), 0);
}
