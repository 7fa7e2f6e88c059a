import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ExitCode } from "../harness/system/errors.js";
import { projectRoot } from "../harness/system/paths.js";
import { newestSupportedDate } from "../harness/worker/worker-config.js";
import { GATES } from "../scenarios/index.js";
import { MUTANTS } from "../scenarios/mutants/catalogue.js";

/** Runs `nexus args` with its output in a fresh folder; returns exit code, stdout, stderr and what the folder holds after. */
function nexus(args: string[]): Promise<{ code: number; stdout: string; stderr: string; wrote: string[] }> {
  const out = mkdtempSync(join(tmpdir(), "nexus-cli-"));
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(projectRoot, "bin", "nexus.mjs"), ...args],
      { cwd: projectRoot, env: { ...process.env, NEXUS_OUT_DIR: out } },
      (error, stdout, stderr) => {
        resolve({ code: error ? Number(error.code) : 0, stdout, stderr, wrote: readdirSync(out) });
      },
    );
  });
}

// Each test starts nexus (tsx) a few times, at once: bounded generously, never timed.
describe.concurrent("the nexus command line", { timeout: 120_000 }, () => {
  it("prints its version", async () => {
    const { version } = JSON.parse(readFileSync(join(projectRoot, "package.json"), "utf8")) as { version: string };
    expect(await nexus(["--version"])).toMatchObject({ code: 0, stdout: `nexus ${version}\n` });
  });

  it("lists a command's own options with --help", async () => {
    const run = await nexus(["run", "--help"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^usage: nexus run \[options\]/);
    for (const option of ["--gate NAME", "--seed N", "--runtime binary|container|cluster", "--worker DIR", "--no-bench"]) expect(run.stdout).toContain(option);
    const stack = await nexus(["help", "stack"]);
    expect(stack.stdout).toContain("--demo");
    expect(stack.stdout).not.toContain("--gate NAME");
  });

  it("sends usage and usage errors to stderr with exit code 2, and checks options before any work", async () => {
    const bare = await nexus([]);
    expect(bare).toMatchObject({ code: ExitCode.usage, stdout: "" });
    expect(bare.stderr).toContain("usage: nexus <command>");
    const cases = [
      ["run", "--runtime", "nope"],
      ["bench", "--smoke", "--full"],
      ["bench", "--restate-env", "PATH=/tmp"],
      ["run", "--gate", "no-such-gate"],
      ["run", "--nope"],
      ["run", "--worker", "/nonexistent"],
      ["mutants", "--mutant", "nope"],
      ["soak", "--duration", "30s"],
      ["soak", "--duration", "soon"],
      ["soak", "--rate", "0"],
      ["soak", "--nemesis-every", "1s"],
      ["soak", "--max-slope", "-1"],
    ];
    const results = await Promise.all(cases.map((args) => nexus(args)));
    for (const [i, result] of results.entries()) {
      const args = cases[i]!;
      expect(result.code, args.join(" ")).toBe(ExitCode.usage);
      expect(result.stdout, args.join(" ")).toBe("");
      expect(result.stderr.trim().split("\n"), args.join(" ")).toHaveLength(1);
      expect(result.wrote, `${args.join(" ")} wrote a run folder`).toEqual([]);
    }
  });

  it("refuses a Worker dated after the shipped workerd's newest date, in one line, before any run folder", async () => {
    const worker = mkdtempSync(join(tmpdir(), "nexus-dated-"));
    const later = new Date(Date.parse(newestSupportedDate()) + 86_400_000).toISOString().slice(0, 10);
    writeFileSync(join(worker, "wrangler.toml"), `name = "dated"\nmain = "index.ts"\ncompatibility_date = "${later}"\n`);
    writeFileSync(join(worker, "nexus-worker.mjs"), "export default { name: 'dated', readSeats: async () => ({}), capabilities: {} };\n");
    const commands = ["run", "stack", "soak"];
    const results = await Promise.all(commands.map((command) => nexus([command, "--worker", worker])));
    for (const [i, result] of results.entries()) {
      const command = commands[i]!;
      expect(result.code, command).toBe(ExitCode.usage);
      expect(result.stderr.trim().split("\n"), command).toEqual([
        expect.stringContaining(`asks for compatibility_date ${later}, but the workerd nexus ships supports dates up to ${newestSupportedDate()}`),
      ]);
      expect(result.wrote, `${command} wrote a run folder`).toEqual([]);
    }
  });

  it("lists every gate, mutant and benchmark cell", async () => {
    const { code, stdout } = await nexus(["list"]);
    expect(code).toBe(0);
    for (const gate of GATES) expect(stdout).toContain(`  ${gate.name} `);
    for (const mutant of MUTANTS) expect(stdout).toContain(`  ${mutant.name} `);
    expect(stdout).toMatch(/bench cells, --smoke \(\d+ per design\):\n {2}trivial u50 s1000 fast/);
  });
});
