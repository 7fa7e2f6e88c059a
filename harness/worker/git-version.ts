import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, rename, rm } from "node:fs/promises";
import { join, relative } from "node:path";
import { promisify } from "node:util";
import { NexusError } from "../system/errors.js";
import { outDir } from "../system/paths.js";

const run = promisify(execFile);

/** Runs git in `dir`; a failure is a NexusError saying what git said. */
async function git(dir: string, args: string[], what: string): Promise<string> {
  try {
    return (await run("git", ["-C", dir, ...args], { maxBuffer: 64 * 1024 * 1024 })).stdout.trim();
  } catch (error) {
    const said = String((error as { stderr?: string }).stderr ?? "")
      .trim()
      .split("\n")[0];
    throw new NexusError("usage", said ? `${what}: ${said}` : what);
  }
}

/**
 * The Worker project folder `dir` as it was at git revision `ref` of the repository it lies in: the commit's tree
 * written (`git archive`) under the run output's .build/refs/<commit>/, and the same folder inside it. The copy lies
 * under the output folder, so the Worker's imports resolve to the packages installed above it.
 */
export async function workerAtRef(dir: string, ref: string): Promise<string> {
  const top = await git(dir, ["rev-parse", "--show-toplevel"], `${dir} is not in a git repository, so "${ref}" names no version of it (give a folder instead)`);
  const commit = await git(dir, ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`], `"${ref}" is neither a folder nor a git revision of ${top}`);
  const root = join(outDir(), ".build", "refs", commit.slice(0, 12));
  const inside = join(root, relative(top, dir));
  if (!existsSync(root)) {
    // Written beside its place and moved there whole: an interrupted write never passes for a finished one.
    const partial = `${root}.partial`;
    await rm(partial, { recursive: true, force: true });
    await mkdir(partial, { recursive: true });
    try {
      await run("sh", ["-c", 'git -C "$1" archive --format=tar "$2" | tar -x -C "$3"', "sh", top, commit, partial]);
      await rename(partial, root);
    } catch (error) {
      await rm(partial, { recursive: true, force: true });
      throw new NexusError("usage", `could not write ${ref} (${commit.slice(0, 12)}) of ${top}: ${(error as Error).message.split("\n")[0]}`);
    }
  }
  if (!existsSync(inside)) throw new NexusError("usage", `${relative(top, dir) || "."} does not exist at ${ref} (${commit.slice(0, 12)}) of ${top}`);
  return inside;
}
