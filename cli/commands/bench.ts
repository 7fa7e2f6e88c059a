import { NexusError } from "../../harness/system/errors.js";
import { benchJob, designsOf } from "../../jobs/bench-job.js";
import { WORKERS_STANDARD_PRICES } from "../../jobs/options.js";
import { amountOf, countOf, flagOf, listOf, stringOf, type CommandSpec } from "../command.js";
import { WORKER_OPTION, workerOf } from "../shared-options.js";

/** The published Workers prices, with those given on the command line in their place (and said so in their source). */
function pricesOf(perMillionRequests: number | undefined, perMillionCpuMs: number | undefined): typeof WORKERS_STANDARD_PRICES | undefined {
  if (perMillionRequests === undefined && perMillionCpuMs === undefined) return undefined;
  return {
    perMillionRequests: perMillionRequests ?? WORKERS_STANDARD_PRICES.perMillionRequests,
    perMillionCpuMs: perMillionCpuMs ?? WORKERS_STANDARD_PRICES.perMillionCpuMs,
    source: "given with --price-requests / --price-cpu-ms",
  };
}

/** The Restate settings `--restate-env KEY=VALUE` gives: each a RESTATE_ variable; anything else is a usage error. */
function restateEnvOf(pairs: string[]): Record<string, string> | undefined {
  if (pairs.length === 0) return undefined;
  const env: Record<string, string> = {};
  for (const pair of pairs) {
    const match = /^(RESTATE_[A-Z0-9_]+)=(.*)$/.exec(pair);
    if (!match) throw new NexusError("usage", `--restate-env takes RESTATE_NAME=VALUE (a restate-server setting), not "${pair}"`);
    env[match[1]!] = match[2]!;
  }
  return env;
}

/** `nexus bench`: the contention benchmarks. */
export const benchCommand: CommandSpec = {
  name: "bench",
  summary: "contention benchmarks with Locust, every cell audited (npm run bench: quick, the default designs)",
  options: {
    smoke: { type: "boolean", help: "the smallest run (CI's)" },
    quick: { type: "boolean", help: "the default size" },
    full: { type: "boolean", help: "every cell, longer" },
    design: {
      type: "string",
      value: "default|all|LIST",
      help: "designs: default (saga, seat-owned, baseline), all, or a comma list of saga, seat-owned, saga-bidi, baseline",
    },
    ...WORKER_OPTION,
    dashboard: { type: "boolean", help: "keep Locust's own HTML report per cell" },
    "restate-env": {
      type: "string",
      multiple: true,
      value: "KEY=VALUE",
      help: "a Restate server setting on top of its defaults, e.g. RESTATE_DEFAULT_NUM_PARTITIONS=4 (to measure what it changes)",
    },
    profile: {
      type: "boolean",
      help: "record a CPU profile of the Worker in each cell (.cpuprofile) and say where a Worker request's CPU goes (inspector open: slower)",
    },
    instances: {
      type: "string",
      value: "N",
      help: "split each cell across N Locust worker processes under one master, results merged (default 1; docs/distributed.md)",
    },
    "k6-instances": { type: "string", value: "N", help: "renamed: --instances N (k6 is no longer used)" },
    only: { type: "string", value: "TEXT", help: "keep only the cells whose label contains TEXT (nexus list cells names them)" },
    seed: { type: "string", value: "N", help: "seed of the workloads' random draws" },
    "price-requests": {
      type: "string",
      value: "USD",
      help: `Cloudflare Workers' price per million requests, for each cell's cost of 1,000 bookings (default ${WORKERS_STANDARD_PRICES.perMillionRequests})`,
    },
    "price-cpu-ms": {
      type: "string",
      value: "USD",
      help: `Cloudflare Workers' price per million CPU milliseconds (default ${WORKERS_STANDARD_PRICES.perMillionCpuMs})`,
    },
  },
  run(args) {
    const sizes = (["smoke", "quick", "full"] as const).filter((size) => flagOf(args, size));
    if (sizes.length > 1) throw new NexusError("usage", `choose one size: --${sizes.join(" and --")} exclude each other`);
    if (stringOf(args, "k6-instances") !== undefined)
      throw new NexusError("usage", "--k6-instances is now --instances N: each cell is split across N Locust worker processes");
    const instances = countOf(args, "instances");
    if (instances === 0) throw new NexusError("usage", "--instances takes 1 or more Locust worker processes per cell, not 0");
    return benchJob({
      size: sizes[0] ?? "quick",
      designs: designsOf(stringOf(args, "design") ?? "default"),
      worker: workerOf(args),
      dashboard: flagOf(args, "dashboard"),
      instances,
      only: stringOf(args, "only"),
      seed: countOf(args, "seed"),
      prices: pricesOf(amountOf(args, "price-requests"), amountOf(args, "price-cpu-ms")),
      profile: flagOf(args, "profile"),
      restateEnv: restateEnvOf(listOf(args, "restate-env")),
    });
  },
};
