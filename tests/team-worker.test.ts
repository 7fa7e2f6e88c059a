import { createHash } from "node:crypto";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { projectRoot } from "../harness/system/paths.js";
import { ManagedProcess } from "../harness/system/process.js";
import { waitFor } from "../harness/system/wait.js";

// A team's Worker in the team's own repository: a folder outside this project, nexus installed there from the
// tarball `npm pack` makes, and gated with `npx nexus`, as docs/worker-contract.md tells a team to.
const TEAM_WORKER = join(projectRoot, "scenarios", "workers", "team-kv");
const CORE = ["double-booking", "decline-compensation", "crash-matrix", "booking-model"];
const SECRET = "team-dev-token-4711";

let team: string;
let logs: string;

/** Runs `command args` in `cwd` to its end, its output in logs/<name>.log; returns its exit code and output. */
async function run(
  name: string,
  command: string,
  args: string[],
  cwd: string,
  env: Record<string, string> = {},
): Promise<{ code: number | null; output: string }> {
  const logPath = join(logs, `${name}.log`);
  const child = ManagedProcess.start({ name, command, args, cwd, env, logPath, parentDeathSignal: "SIGKILL" });
  const { code } = await child.exited;
  await child.kill();
  return { code, output: readFileSync(logPath, "utf8") };
}

/** `npx nexus stack --worker .` (with `args`) in the team's folder, its endpoints once it printed them. */
async function teamStack(args: string[]): Promise<{ stack: ManagedProcess; endpoints: Record<string, string> }> {
  let endpoints: Record<string, string> | undefined;
  const stack = ManagedProcess.start({
    name: "nexus stack (team)",
    command: "npx",
    args: ["--no-install", "nexus", "stack", "--worker", ".", ...args],
    cwd: team,
    logPath: join(logs, `stack${args.join("")}.log`),
    parentDeathSignal: "SIGTERM",
    onLine: (line) => {
      if (line.startsWith("{")) endpoints = JSON.parse(line) as Record<string, string>;
    },
  });
  await waitFor(async () => endpoints !== undefined, {
    timeoutMs: 120_000,
    what: "nexus stack to print its endpoints",
    failFast: () => (stack.running ? undefined : new Error("nexus stack exited")),
  });
  return { stack, endpoints: endpoints! };
}

/** The team Worker's own report of what it runs with (its /team/settings route). */
async function settingsOf(workerUrl: string): Promise<Record<string, unknown>> {
  const response = await fetch(`${workerUrl}/team/settings`);
  expect(response.status).toBe(200);
  return (await response.json()) as Record<string, unknown>;
}

describe("a team's Worker, gated from the team's own repository with nexus installed as a package", () => {
  beforeAll(async () => {
    team = mkdtempSync(join(tmpdir(), "nexus-team-"));
    logs = join(team, "logs");
    mkdirSync(logs);
    const packed = await run("npm pack", "npm", ["pack", "--pack-destination", team], projectRoot);
    expect(packed.code, packed.output).toBe(0);
    const tarball = readdirSync(team).find((file) => file.endsWith(".tgz"))!;
    for (const file of ["wrangler.jsonc", ".dev.vars", "nexus-worker.ts", "src"]) cpSync(join(TEAM_WORKER, file), join(team, file), { recursive: true });
    writeFileSync(
      join(team, "package.json"),
      JSON.stringify({ name: "team-bookings", private: true, type: "module", devDependencies: { nexus: `file:./${tarball}` } }, null, 2),
    );
    // The packages nexus depends on are in npm's cache since this project's own install: take them from there.
    const installed = await run("npm install", "npm", ["install", "--no-audit", "--no-fund", "--prefer-offline"], team);
    expect(installed.code, installed.output.slice(-2_000)).toBe(0);
  }, 600_000);

  afterAll(() => {
    if (team !== undefined) rmSync(team, { recursive: true, force: true });
  });

  it("passes the core gates under `npx nexus run --worker .`, on Node 24, its output in the team's folder", async () => {
    const gated = await run(
      "nexus run",
      "npx",
      ["--no-install", "nexus", "run", "--worker", ".", ...CORE.flatMap((gate) => ["--gate", gate]), "--budget", "20s", "--no-bench"],
      team,
    );
    expect(gated.code, gated.output.slice(-3_000)).toBe(0);
    expect(gated.output).toContain("with the Worker team-bookings");
    const runs = readdirSync(join(team, "nexus-out")).filter((dir) => dir.startsWith("run-"));
    expect(runs).toHaveLength(1);
    const summary = JSON.parse(readFileSync(join(team, "nexus-out", runs[0]!, "summary.json"), "utf8")) as { passed: number; failed: number; worker: string };
    expect(summary).toMatchObject({ passed: CORE.length, failed: 0, worker: "team-bookings" });
  });

  it("runs the Worker with its own config: the var, the .dev.vars secret, the KV namespace and the flag's effect, per wrangler environment", async () => {
    const digest = createHash("sha256").update(SECRET).digest("hex");
    for (const [args, region, inProcessEnv] of [
      [[], "eu-west", null],
      [["--wrangler-env", "staging"], "eu-staging", "eu-staging"],
    ] as const) {
      const { stack, endpoints } = await teamStack([...args]);
      try {
        const checkout = await fetch(`${endpoints.ingress}/Checkout/process`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ ticketId: `team-${region}`, userId: "u1", paymentMethodId: "card_success" }),
        });
        expect(await checkout.text()).toBe('"Booking Confirmed"');
        const settings = await settingsOf(endpoints.worker!);
        // nodejs_compat_do_not_populate_process_env keeps vars out of process.env; staging leaves the flag out.
        expect(settings).toMatchObject({ region, settingsTokenSha256: digest, regionInProcessEnv: inProcessEnv });
        // KV: the Worker logged the Restate invocations it served (waitUntil runs after each answer).
        await waitFor(async () => ((await settingsOf(endpoints.worker!)).served as Record<string, number>)["Checkout/process"]! >= 1, {
          timeoutMs: 10_000,
          what: "the Worker's KV log to count the checkout",
        });
      } finally {
        await stack.stop();
      }
    }
  });
});
