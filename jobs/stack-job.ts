import { NexusError } from "../harness/system/errors.js";
import type { GatewayProfile } from "../harness/gateway/gateway.js";
import { handleSignalsInCaller } from "../harness/system/process.js";
import { newRunDir } from "../harness/store/run-dirs.js";
import { startStack } from "../harness/stack/stack.js";
import { prepareWorker, resolveWorker, workerLabel, type WorkerChoice } from "../harness/worker/worker-under-test.js";

/** Options of `nexus stack`. */
export interface StackJobOptions {
  runtime?: string;
  holdTtlMs?: number;
  gatewayLatencyMs?: number;
  gatewayFailNext?: number;
  /** The gateway forgets a key's stored answer this long after storing it. */
  gatewayForgetKeysAfterMs?: number;
  gatewayProfile?: GatewayProfile;
  /** Serve the proof of concept's public contract: every handler public, the mock payment route on, auto-reset at 50 sold. */
  demo?: boolean;
  worker?: WorkerChoice;
  /** Extra Worker bindings. */
  workerEnv?: Record<string, string>;
}

/** The Worker settings of the proof of concept's demo game, as `wrangler deploy --env demo` sets them. */
const DEMO_ENV = { PUBLIC_DEMO_API: "true", MOCK_PAYMENT_ROUTE: "true", AUTO_RESET_AT: "50" };

/**
 * Starts the embedded stack, prints one JSON line with its endpoints when it is ready, and runs until SIGINT or
 * SIGTERM; then stops everything it started. Progress goes to stderr so stdout carries only the JSON line.
 */
export async function stackJob(options: StackJobOptions): Promise<number> {
  const started = Date.now();
  handleSignalsInCaller();
  const worker = await resolveWorker(options.worker, (line) => process.stderr.write(`nexus stack: ${line}\n`));
  const { demoApi, mockPaymentRoute } = worker.description.capabilities;
  if (options.demo && !(demoApi && mockPaymentRoute)) {
    throw new NexusError(
      "usage",
      `--demo needs a Worker with the demo API and the mock payment route; ${workerLabel(worker)} declares demoApi: ${demoApi}, mockPaymentRoute: ${mockPaymentRoute}`,
    );
  }
  process.stderr.write(`nexus stack: starting Restate, the payment gateway and the Worker ${workerLabel(worker)}${options.demo ? " in demo mode" : ""}…\n`);
  const runDir = newRunDir("stack");
  const prepared = await prepareWorker(worker, `${runDir}/bundle`);
  const workerEnv = {
    ...options.workerEnv,
    ...(options.demo ? DEMO_ENV : {}),
    ...(options.holdTtlMs === undefined ? {} : { HOLD_TTL_MS: String(options.holdTtlMs) }),
  };
  const stack = await startStack({ runDir, worker: prepared, workerEnv, runtimeName: options.runtime });
  stack.gateway.setFaults({
    latencyMs: options.gatewayLatencyMs ?? 0,
    failNextCharges: options.gatewayFailNext ?? 0,
    forgetKeysAfterMs: options.gatewayForgetKeysAfterMs,
  });
  stack.gateway.setProfile(options.gatewayProfile ?? "default");
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once("SIGINT", () => resolve("SIGINT"));
    process.once("SIGTERM", () => resolve("SIGTERM"));
    process.stdout.write(`${JSON.stringify(stack.endpoints())}\n`);
    process.stderr.write(`nexus stack: ready in ${((Date.now() - started) / 1000).toFixed(1)} s; logs in ${stack.runDir}; Ctrl-C stops it\n`);
  });
  process.stderr.write(`nexus stack: ${signal}, stopping…\n`);
  await stack.stop();
  process.stderr.write("nexus stack: stopped\n");
  return 0;
}
