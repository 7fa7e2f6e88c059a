import { NexusError } from "../../harness/system/errors.js";
import { compareJob } from "../../jobs/compare-job.js";
import type { CommandSpec } from "../command.js";
import { REMOTE_OPTIONS, remoteOf } from "../shared-options.js";

/** `nexus compare`: local against remote latency. */
export const compareCommand: CommandSpec = {
  name: "compare",
  summary: "latency of the local embedded stack against a remote Restate (e.g. Restate Cloud; token from RESTATE_AUTH_TOKEN), side by side",
  options: REMOTE_OPTIONS,
  run(args) {
    const remote = remoteOf(args);
    if (!remote) throw new NexusError("usage", "nexus compare needs --remote <ingress URL> and --remote-admin <admin URL>");
    return compareJob(remote);
  },
};
