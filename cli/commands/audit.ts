import { NexusError } from "../../harness/system/errors.js";
import { auditJob } from "../../jobs/audit-job.js";
import { countOf, stringOf, type CommandSpec } from "../command.js";
import { REMOTE_OPTIONS, WORKER_OPTION, workerOf } from "../shared-options.js";

/** `nexus audit`: a finished run judged from Restate's state alone (e.g. a distributed Locust run against Restate Cloud). */
export const auditCommand: CommandSpec = {
  name: "audit",
  summary: "audit a finished run from Restate's state alone, through its admin API (token from RESTATE_AUTH_TOKEN; docs/distributed.md)",
  options: {
    remote: REMOTE_OPTIONS.remote!,
    "remote-admin": REMOTE_OPTIONS["remote-admin"]!,
    prefix: { type: "string", value: "PREFIX", help: "the run's seat and booking id prefix (NEXUS_PREFIX of its load processes)" },
    confirmed: { type: "string", value: "N", help: "the 200s the clients counted (the confirmed count of booking.py's summary): must equal the seats SOLD" },
    ...WORKER_OPTION,
  },
  run(args) {
    const ingressUrl = stringOf(args, "remote");
    const adminUrl = stringOf(args, "remote-admin");
    const prefix = stringOf(args, "prefix");
    if (ingressUrl === undefined || adminUrl === undefined)
      throw new NexusError("usage", "nexus audit needs --remote <ingress URL> and --remote-admin <admin URL> of the run's Restate");
    if (prefix === undefined || prefix === "") throw new NexusError("usage", "nexus audit needs --prefix: the run's NEXUS_PREFIX");
    return auditJob({ ingressUrl, adminUrl, prefix, confirmed: countOf(args, "confirmed"), worker: workerOf(args) });
  },
};
