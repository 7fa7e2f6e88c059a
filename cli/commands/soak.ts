import { NexusError } from "../../harness/system/errors.js";
import { parseDuration } from "../../harness/system/duration.js";
import { DEFAULT_THRESHOLDS } from "../../jobs/options.js";
import { soakJob } from "../../jobs/soak-job.js";
import { countOf, stringOf, type CommandSpec, type ParsedArgs } from "../command.js";
import { RUNTIME_OPTION, runtimeOf, WORKER_ENV_OPTION, WORKER_OPTION, workerEnvOf, workerOf } from "../shared-options.js";

/** The default arrival rate: what a 2-core machine sustains with the reference Worker under the soak's faults. */
export const DEFAULT_SOAK_RATE = 5;

/** The positive number option `name` holds, if given; anything else is a usage error. */
function positiveOf(args: ParsedArgs, name: string): number | undefined {
  const value = stringOf(args, name);
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new NexusError("usage", `--${name} takes a number above 0, not "${value}"`);
  return n;
}

/** The duration option `name` holds, if given. */
function durationOf(args: ParsedArgs, name: string): number | undefined {
  const value = stringOf(args, name);
  return value === undefined ? undefined : parseDuration(value, `--${name}`);
}

/** `nexus soak`: a long steady booking load under periodic faults, judged by every checker, memory and latency. */
export const soakCommand: CommandSpec = {
  name: "soak",
  summary:
    "a steady open-model booking load for a long time under Worker/Restate kills and gateway 503 bursts; fails on a broken invariant, growing memory or drifting p99",
  options: {
    duration: { type: "string", value: "DURATION", help: "how long bookings arrive, e.g. 3m or 2h (default 30m)" },
    rate: { type: "string", value: "N", help: `checkouts started per second, whatever the answers (default ${DEFAULT_SOAK_RATE})` },
    seed: { type: "string", value: "N", help: "seed of every random choice; the same seed replays the same schedule" },
    "nemesis-every": { type: "string", value: "DURATION", help: "time between faults (default: a twelfth of --duration, from 10s to 60s)" },
    "sample-every": { type: "string", value: "DURATION", help: "how often RSS and CPU are sampled (default 5s)" },
    window: { type: "string", value: "DURATION", help: "latency window (default 30s)" },
    "max-worker-slope": {
      type: "string",
      value: "MIB_PER_MIN",
      help: `growth of the Worker's isolate (live heap + wasm) allowed over the second half (default ${DEFAULT_THRESHOLDS.workerMaxSlopeMiBPerMin} MiB/min, counted past ${DEFAULT_THRESHOLDS.workerMinGrowthMiB} MiB in one life)`,
    },
    "max-slope": {
      type: "string",
      value: "MIB_PER_MIN",
      help: `RSS growth of a host process (workerd, restate-server less its block cache, ...) allowed over the second half (default ${DEFAULT_THRESHOLDS.maxSlopeMiBPerMin} MiB/min)`,
    },
    "min-growth": {
      type: "string",
      value: "MIB",
      help: `RSS growth within a host process's longest judged life below which a slope is noise (default ${DEFAULT_THRESHOLDS.minGrowthMiB} MiB)`,
    },
    "max-restate-ready": {
      type: "string",
      value: "DURATION",
      help: `time Restate may take to serve again after a restart (default ${DEFAULT_THRESHOLDS.maxRestateReadyMs / 1000}s)`,
    },
    "max-p99-factor": { type: "string", value: "X", help: `last windows' p99 over the first windows' allowed (default ${DEFAULT_THRESHOLDS.maxP99Factor})` },
    ...RUNTIME_OPTION,
    ...WORKER_OPTION,
    ...WORKER_ENV_OPTION,
  },
  run(args) {
    const durationMs = durationOf(args, "duration") ?? 30 * 60_000;
    if (durationMs < 60_000) throw new NexusError("usage", "--duration must be at least 1m: a shorter soak has no second half to judge");
    const nemesisEveryMs = durationOf(args, "nemesis-every");
    if (nemesisEveryMs !== undefined && nemesisEveryMs < 5_000)
      throw new NexusError("usage", "--nemesis-every must be at least 5s: a Restate restart takes seconds");
    const limits = {
      workerMaxSlopeMiBPerMin: positiveOf(args, "max-worker-slope"),
      maxSlopeMiBPerMin: positiveOf(args, "max-slope"),
      maxRestateReadyMs: durationOf(args, "max-restate-ready"),
      minGrowthMiB: positiveOf(args, "min-growth"),
      maxP99Factor: positiveOf(args, "max-p99-factor"),
    };
    return soakJob({
      durationMs,
      rate: positiveOf(args, "rate") ?? DEFAULT_SOAK_RATE,
      seed: countOf(args, "seed"),
      nemesisEveryMs,
      sampleEveryMs: durationOf(args, "sample-every"),
      windowMs: durationOf(args, "window"),
      thresholds: Object.fromEntries(Object.entries(limits).filter(([, v]) => v !== undefined)),
      runtime: runtimeOf(args),
      worker: workerOf(args),
      workerEnv: workerEnvOf(args),
    });
  },
};
