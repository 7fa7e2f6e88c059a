import { spawn, type ChildProcess, type SpawnOptions } from "node:child_process";
import { readFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import { connect } from "node:net";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { afterEach, describe, expect, it } from "vitest";
import { NexusError } from "../harness/system/errors.js";
import { projectRoot } from "../harness/system/paths.js";
import { newRunDir } from "../harness/store/run-dirs.js";
import { descendantsOf, isAlive } from "../harness/system/proc.js";
import { containerEngineMissing } from "../harness/runtime/container-engine.js";
import { startStack } from "../harness/stack/stack.js";
import { getContainerRuntimeClient } from "testcontainers";
import { waitFor } from "../harness/system/wait.js";
import { workerUnderTest } from "./worker-under-test.js";

// No orphan processes, ever: whatever the harness starts is gone after a stop, a Ctrl-C, a crash of the harness
// itself, and a start that failed half-way.
const worker = await workerUnderTest();

function portOf(url: string): number {
  return Number(new URL(url).port);
}

async function isClosed(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: "127.0.0.1" });
    socket.once("connect", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", () => resolve(true));
  });
}

async function allGone(pids: number[], ports: number[]): Promise<boolean> {
  if (pids.some(isAlive)) return false;
  return (await Promise.all(ports.map(isClosed))).every(Boolean);
}

/** The environment without a Worker under test named: `nexus stack --demo` is the reference Worker's demo. */
function referenceEnv(): NodeJS.ProcessEnv {
  const { NEXUS_WORKER: _w, NEXUS_WORKER_BUNDLE: _b, NEXUS_WORKER_DESCRIPTION: _d, ...env } = process.env;
  return env;
}

/** Every `nexus` child a test started: one still running when its test ends (an assertion failed first) is stopped then. */
const spawned: ChildProcess[] = [];

/** Starts `nexus args` as a child the test run stops if the test does not. */
function spawnNexus(args: string[], options: SpawnOptions): ChildProcess {
  const child = spawn(process.execPath, [join(projectRoot, "bin", "nexus.mjs"), ...args], { cwd: projectRoot, ...options });
  spawned.push(child);
  return child;
}

afterEach(async () => {
  for (const child of spawned.splice(0)) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGINT");
    const stopped = await Promise.race([exited.then(() => true), new Promise((resolve) => setTimeout(() => resolve(false), 15_000))]);
    if (!stopped) child.kill("SIGKILL");
  }
});

/** Starts `nexus stack` (with `args`, on the reference Worker) in a child and returns it with its endpoints once it printed them. */
async function startCliStack(args: string[] = []) {
  const child = spawnNexus(["stack", ...args], { env: referenceEnv(), stdio: ["ignore", "pipe", "pipe"] });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  let runDir: string | undefined;
  createInterface({ input: child.stderr! }).on("line", (line) => (runDir ??= /logs in (\S+);/.exec(line)?.[1]));
  const lines = createInterface({ input: child.stdout! });
  const endpoints = await new Promise<Record<string, string>>((resolve, reject) => {
    lines.once("line", (line) => resolve(JSON.parse(line) as Record<string, string>));
    void exited.then(({ code }) => reject(new Error(`nexus stack exited early with ${code}`)));
  });
  /** Deletes the stack's run folder (a SIGKILLed stack leaves Restate's data behind). */
  const removeRunDir = () => (runDir ? rm(runDir, { recursive: true, force: true }) : Promise.resolve());
  return { child, exited, endpoints, ports: Object.values(endpoints).map(portOf), removeRunDir };
}

describe("process hygiene", () => {
  it("stop() ends Restate, Miniflare and workerd, and frees their ports", async () => {
    const before = new Set(descendantsOf(process.pid));
    const stack = await startStack({ runDir: newRunDir("test-processes"), worker });
    const started = descendantsOf(process.pid).filter((pid) => !before.has(pid));
    const ports = [stack.restate.ingressUrl, stack.restate.adminUrl, stack.worker.url].map(portOf);
    expect(started.length).toBeGreaterThanOrEqual(3);
    await stack.stop();
    expect(await allGone(started, ports)).toBe(true);
  });

  it("nexus stack --demo prints its endpoints, serves the proof of concept's public contract as its scripts call it, and on SIGINT stops everything and exits 0", async () => {
    const cli = await startCliStack(["--demo"]);
    expect(Object.keys(cli.endpoints).sort()).toEqual(["admin", "gateway", "ingress", "worker"]);
    const health = await fetch(`${cli.endpoints.ingress}/restate/health`);
    expect(health.status).toBe(200);
    // As the proof of concept's scripts call it: a JSON body, or none at all (confirm).
    const post = async (base: string, path: string, body?: unknown) => {
      const request = body === undefined ? { method: "POST" } : { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) };
      const response = await fetch(`${base}${path}`, request);
      return { status: response.status, text: await response.text() };
    };
    const seat = `demo-${Date.now().toString(36)}`;
    const ingress = cli.endpoints.ingress!;
    expect(await post(ingress, `/Ticket/${seat}-a/get`, {})).toEqual({ status: 200, text: '{"status":"AVAILABLE","reservedBy":null,"reservedUntil":null}' });
    expect(await post(ingress, "/Checkout/process", { ticketId: `${seat}-a`, userId: "u1", paymentMethodId: "card_success" })).toEqual({
      status: 200,
      text: '"Booking Confirmed"',
    });
    expect((await post(ingress, "/Checkout/process", { ticketId: `${seat}-a`, userId: "u2", paymentMethodId: "card_success" })).text).toContain("already sold");
    expect((await post(ingress, "/Checkout/process", { ticketId: `${seat}-b`, userId: "u3", paymentMethodId: "card_decline" })).text).toContain(
      "Payment declined",
    );
    expect((await post(ingress, `/Ticket/${seat}-c/reserve`, "u4")).status).toBe(200);
    expect((await post(ingress, `/Ticket/${seat}-c/confirm`)).status).toBe(200);
    expect(JSON.parse((await post(ingress, `/Ticket/${seat}-c/get`, {})).text)).toMatchObject({ status: "SOLD", reservedBy: "u4" });
    expect((await post(ingress, "/SeatMap/global/get", {})).status).toBe(200);
    expect((await post(ingress, "/GameManager/reset", {})).status).toBe(200);
    const payment = await post(cli.endpoints.worker!, "/api/mock-payment", { amount: 50, paymentMethodId: "card_success" });
    expect(payment.status).toBe(200);
    expect(JSON.parse(payment.text)).toMatchObject({ success: true });
    const children = descendantsOf(cli.child.pid!);
    expect(children.length).toBeGreaterThanOrEqual(3);
    cli.child.kill("SIGINT");
    expect((await cli.exited).code).toBe(0);
    await waitFor(() => allGone(children, cli.ports), { timeoutMs: 10_000, what: "the stack's processes to exit" });
  });

  it("Ctrl-C (SIGINT) stops nexus run at once: exit 130, nothing left behind", async () => {
    const child = spawnNexus(["run", "--gate", "double-booking"], { stdio: "ignore" });
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    const children = await waitFor(
      async () => {
        const found = descendantsOf(child.pid!);
        const names = found.map((pid) => readFileSync(`/proc/${pid}/comm`, "utf8").trim());
        return names.includes("restate-server") && names.includes("workerd") ? found : undefined;
      },
      { timeoutMs: 60_000, what: "nexus run to start Restate and the Worker" },
    );
    child.kill("SIGINT");
    expect(await exited).toBe(130);
    await waitFor(() => allGone(children, []), { timeoutMs: 10_000, what: "nexus run's processes to exit" });
  });

  it("when nexus stack is SIGKILLed, its processes follow it", async () => {
    const cli = await startCliStack();
    const children = descendantsOf(cli.child.pid!);
    cli.child.kill("SIGKILL");
    await cli.exited;
    await waitFor(() => allGone(children, cli.ports), { timeoutMs: 15_000, what: "the orphaned stack's processes to exit" });
    await cli.removeRunDir();
  });

  it.skipIf(process.env.CI !== "true" && containerEngineMissing() !== undefined)("a container stack leaves no container behind", async () => {
    const stack = await startStack({ runDir: newRunDir("test-processes-container"), worker, runtimeName: "container" });
    const ours = async () => (await (await getContainerRuntimeClient()).container.list()).filter((c) => c.Labels?.["nexus.owner-pid"] === String(process.pid));
    expect((await ours()).length).toBe(1);
    const ports = [stack.restate.ingressUrl, stack.restate.adminUrl, stack.worker.url].map(portOf);
    await stack.stop();
    expect(await ours()).toEqual([]);
    expect(await allGone([], ports)).toBe(true);
  });

  it("a start that fails half-way stops what it had started and says why", async () => {
    const blocker = await startStack({ runDir: newRunDir("test-processes-blocker"), worker });
    const before = new Set(descendantsOf(process.pid));
    process.env.NEXUS_WORKER_PORT = String(portOf(blocker.worker.url));
    try {
      const failure = await startStack({ runDir: newRunDir("test-processes-fail"), worker }).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(NexusError);
      expect((failure as NexusError).kind).toBe("portInUse");
      expect((failure as NexusError).message).toContain("NEXUS_WORKER_PORT");
      const left = descendantsOf(process.pid).filter((pid) => !before.has(pid));
      expect(left).toEqual([]);
    } finally {
      delete process.env.NEXUS_WORKER_PORT;
      await blocker.stop();
    }
  });
});
