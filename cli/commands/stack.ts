import type { GatewayProfile } from "../../harness/gateway/gateway.js";
import { handleSignalsInCaller } from "../../harness/process.js";
import { startStack } from "../../harness/stack.js";

/** Options of `nexus stack`. */
export interface StackCommandOptions {
  runtime?: string;
  holdTtlMs?: number;
  gatewayLatencyMs?: number;
  gatewayFailNext?: number;
  /** The gateway forgets a key's stored answer this long after storing it. */
  gatewayForgetKeysAfterMs?: number;
  gatewayProfile?: GatewayProfile;
}

/**
 * Starts the embedded stack, prints one JSON line with its endpoints when it is ready, and runs until SIGINT or
 * SIGTERM; then stops everything it started. Progress goes to stderr so stdout carries only the JSON line.
 */
export async function stackCommand(options: StackCommandOptions): Promise<number> {
  const started = Date.now();
  handleSignalsInCaller();
  process.stderr.write("nexus stack: starting Restate, the payment gateway and the Worker…\n");
  const workerEnv = options.holdTtlMs === undefined ? undefined : { HOLD_TTL_MS: String(options.holdTtlMs) };
  const stack = await startStack({ workerEnv, runtimeName: options.runtime });
  stack.gateway.setFaults({ latencyMs: options.gatewayLatencyMs ?? 0, failNextCharges: options.gatewayFailNext ?? 0, forgetKeysAfterMs: options.gatewayForgetKeysAfterMs });
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
