import { upgradeCheckJob } from "../../jobs/upgrade-check-job.js";
import { NexusError } from "../../harness/system/errors.js";
import { countOf, stringOf, type CommandSpec } from "../command.js";
import { WORKER_ENV_OPTION, WORKER_OPTION, workerEnvOf, workerOf } from "../shared-options.js";

/** `nexus upgrade-check`: upgrade Restate in place under the Worker while bookings are in flight. */
export const upgradeCheckCommand: CommandSpec = {
  name: "upgrade-check",
  summary: "upgrade Restate from --from-release to the installed release (or --to-release) in place while bookings are in flight; every invariant must hold",
  options: {
    "from-release": { type: "string", value: "VERSION", help: "the Restate release running now, e.g. 1.6.2 (fetched once from the npm registry)" },
    "to-release": { type: "string", value: "VERSION", help: "the release to upgrade to (default: the one installed with nexus)" },
    seed: { type: "string", value: "N", help: "seed of every random choice; the same seed replays the same schedule" },
    ...WORKER_OPTION,
    ...WORKER_ENV_OPTION,
  },
  run(args) {
    const fromRelease = stringOf(args, "from-release");
    if (fromRelease === undefined) throw new NexusError("usage", "upgrade-check needs --from-release VERSION: the Restate release running now (e.g. 1.6.2)");
    return upgradeCheckJob({
      worker: workerOf(args),
      fromRelease,
      toRelease: stringOf(args, "to-release"),
      seed: countOf(args, "seed"),
      workerEnv: workerEnvOf(args),
    });
  },
};
