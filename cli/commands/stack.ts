import { NexusError } from "../../harness/system/errors.js";
import { stackJob } from "../../jobs/stack-job.js";
import { countOf, flagOf, stringOf, type CommandSpec } from "../command.js";
import { RUNTIME_OPTION, runtimeOf, WORKER_ENV_OPTION, WORKER_OPTION, workerEnvOf, workerOf } from "../shared-options.js";

/** `nexus stack`: the embedded stack, until Ctrl-C. */
export const stackCommand: CommandSpec = {
  name: "stack",
  summary: "start the embedded stack (Restate, the gateway stand-in, the Worker), print its endpoints as one JSON line, run until Ctrl-C",
  options: {
    ...RUNTIME_OPTION,
    ...WORKER_OPTION,
    ...WORKER_ENV_OPTION,
    demo: { type: "boolean", help: "the proof of concept's public contract: every handler public, /api/mock-payment on, auto-reset at 50 sold" },
    "hold-ttl-ms": { type: "string", value: "N", help: "how long a hold lasts (the Worker's HOLD_TTL_MS)" },
    "gateway-latency-ms": { type: "string", value: "N", help: "the gateway stand-in answers this much later" },
    "gateway-fail-next": { type: "string", value: "N", help: "the next N charges fail with 503" },
    "gateway-forget-keys-after-ms": { type: "string", value: "N", help: "the gateway forgets an idempotency key's stored answer this long after storing it" },
    "gateway-profile": { type: "string", value: "default|stripe", help: "how strictly the gateway treats a reused key (default: default)" },
  },
  run(args) {
    const profile = stringOf(args, "gateway-profile") ?? "default";
    if (profile !== "default" && profile !== "stripe") throw new NexusError("usage", `--gateway-profile is default or stripe, not "${profile}"`);
    return stackJob({
      runtime: runtimeOf(args),
      worker: workerOf(args),
      workerEnv: workerEnvOf(args),
      demo: flagOf(args, "demo"),
      holdTtlMs: countOf(args, "hold-ttl-ms"),
      gatewayLatencyMs: countOf(args, "gateway-latency-ms"),
      gatewayFailNext: countOf(args, "gateway-fail-next"),
      gatewayForgetKeysAfterMs: countOf(args, "gateway-forget-keys-after-ms"),
      gatewayProfile: profile,
    });
  },
};
