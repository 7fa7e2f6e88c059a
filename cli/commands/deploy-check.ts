import { deployCheckJob } from "../../jobs/deploy-check-job.js";
import { NexusError } from "../../harness/system/errors.js";
import { countOf, stringOf, type CommandSpec } from "../command.js";
import { RUNTIME_OPTION, runtimeOf, WORKER_ENV_OPTION, workerEnvOf, workerOf } from "../shared-options.js";

/** `nexus deploy-check`: deploy one version of a Worker over another with bookings in flight, versioned and in place. */
export const deployCheckCommand: CommandSpec = {
  name: "deploy-check",
  summary:
    "deploy --to over --from while bookings are in flight, as a new registered version (must keep every invariant) and in place as `wrangler deploy` does (says whether this change survives that)",
  options: {
    from: { type: "string", value: "DIR|REF", help: "the version deployed now: a Worker project folder, or a git revision of --worker's repository" },
    to: { type: "string", value: "DIR|REF", help: "the version to deploy (default: --worker as it is)" },
    "from-wrangler-env": { type: "string", value: "NAME", help: "run --from as its wrangler config's [env.NAME]" },
    "to-wrangler-env": { type: "string", value: "NAME", help: "run --to as its wrangler config's [env.NAME]" },
    "from-worker-env": {
      type: "string",
      multiple: true,
      value: "KEY=VALUE",
      help: "a binding of --from (e.g. BOOKING_DESIGN=seat-owned); --to keeps it unless it sets its own",
    },
    "to-worker-env": { type: "string", multiple: true, value: "KEY=VALUE", help: "a binding of --to alone (e.g. BOOKING_DESIGN=saga)" },
    worker: {
      type: "string",
      value: "DIR",
      help: "the Worker project whose git revisions --from and --to name (default NEXUS_WORKER, else the reference Worker)",
    },
    seed: { type: "string", value: "N", help: "seed of every random choice; the same seed replays the same schedule" },
    ...RUNTIME_OPTION,
    ...WORKER_ENV_OPTION,
  },
  run(args) {
    const from = stringOf(args, "from");
    if (from === undefined)
      throw new NexusError("usage", "deploy-check needs --from DIR|REF: the version deployed now (e.g. --from main, or --from ../last-release)");
    return deployCheckJob({
      workerDir: workerOf(args).dir,
      from: { at: from, wranglerEnv: stringOf(args, "from-wrangler-env"), workerEnv: workerEnvOf(args, "from-worker-env") },
      to: { at: stringOf(args, "to"), wranglerEnv: stringOf(args, "to-wrangler-env"), workerEnv: workerEnvOf(args, "to-worker-env") },
      runtime: runtimeOf(args),
      seed: countOf(args, "seed"),
      workerEnv: workerEnvOf(args),
    });
  },
};
