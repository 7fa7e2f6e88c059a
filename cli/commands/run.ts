import { NexusError } from "../../harness/system/errors.js";
import { parseDuration } from "../../harness/system/duration.js";
import { runJob } from "../../jobs/run-job.js";
import { countOf, flagOf, listOf, stringOf, type CommandSpec } from "../command.js";
import { REMOTE_OPTIONS, remoteOf, RUNTIME_OPTION, runtimeOf, WORKER_ENV_OPTION, WORKER_OPTION, workerEnvOf, workerOf } from "../shared-options.js";

/** `nexus run`: the main job (npm start). */
export const runCommand: CommandSpec = {
  name: "run",
  summary: "the main job (npm start): every gate on a fresh stack each, the quick benchmark, an HTML report and JUnit XML in reports/out/<run>/",
  options: {
    gate: { type: "string", multiple: true, value: "NAME", help: "run only this gate (nexus list gates names them)" },
    seed: { type: "string", value: "N", help: "seed of every random choice; the same seed replays the same schedule" },
    budget: { type: "string", value: "DURATION", help: "how long booking-model searches for a failing history, e.g. 10m (default 60s; NEXUS_MODEL_BUDGET)" },
    ...RUNTIME_OPTION,
    ...WORKER_OPTION,
    ...WORKER_ENV_OPTION,
    "no-bench": { type: "boolean", help: "skip the quick benchmark" },
    ...REMOTE_OPTIONS,
  },
  run(args) {
    const gates = listOf(args, "gate");
    const remote = remoteOf(args);
    if (remote && stringOf(args, "runtime") !== undefined) throw new NexusError("usage", "--runtime and --remote exclude each other");
    if (remote && stringOf(args, "worker") !== undefined)
      throw new NexusError("usage", "--worker runs a Worker here; with --remote, give a deployed one with --worker-url");
    const budget = stringOf(args, "budget");
    return runJob({
      gates,
      seed: countOf(args, "seed"),
      budgetMs: budget === undefined ? undefined : parseDuration(budget, "--budget"),
      runtime: runtimeOf(args),
      bench: !flagOf(args, "no-bench"),
      remote,
      worker: workerOf(args),
      workerEnv: workerEnvOf(args),
    });
  },
};
