import { parseArgs } from "node:util";
import { redact } from "../harness/auth.js";
import { parseDuration } from "../harness/duration.js";
import { ExitCode, exitCodeOf, isUsageError, NexusError } from "../harness/errors.js";
import { installExitHooks } from "../harness/process.js";
import { benchCommand } from "./commands/bench.js";
import { checkCommand } from "./commands/check.js";
import { compareCommand } from "./commands/compare.js";
import { mutantsCommand } from "./commands/mutants.js";
import { reportCommand } from "./commands/report.js";
import { runCommand } from "./commands/run.js";
import { stackCommand } from "./commands/stack.js";

const USAGE = `usage: nexus <command> [options]

  run [--gate NAME]... [--seed N] [--budget 10m] [--runtime binary|container|cluster] [--no-bench]
      [--remote URL --remote-admin URL [--worker-url URL] [--no-register]]
                              the main job (npm start): every gate on the embedded stack, the quick benchmark,
                              an HTML report and JUnit XML in reports/out/<run>/; --budget: how long booking-model
                              searches for a failing history (default 60s; NEXUS_MODEL_BUDGET)
  compare --remote URL --remote-admin URL [--worker-url URL] [--no-register]
                              latency of the local embedded stack against a remote Restate (e.g. Restate
                              Cloud; token from RESTATE_AUTH_TOKEN), side by side
  report RUN_DIR              rebuild the HTML report (index.html) and junit.xml of a stored run
  stack [--runtime binary|container|cluster] [--hold-ttl-ms N] [--gateway-latency-ms N] [--gateway-fail-next N]
      [--gateway-forget-keys-after-ms N] [--gateway-profile default|stripe]
                              start the embedded stack, print its endpoints as one JSON line, run until Ctrl-C
  bench [--smoke|--quick|--full] [--design both|all|ours,ours-bidi,baseline] [--dashboard] [--only TEXT] [--seed N]
                              contention benchmarks with k6, every cell audited (npm run bench: quick, both)
  check RUN_DIR               re-run the checkers on a stored run, without any server
  mutants [--mutant NAME]...  prove the gates: run them against Workers with known bugs put back
`;

function int(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new NexusError("usage", `--${name} takes a whole number ≥ 0, not "${value}"`);
  return n;
}

const REMOTE_OPTIONS = {
  remote: { type: "string" },
  "remote-admin": { type: "string" },
  "worker-url": { type: "string" },
  "no-register": { type: "boolean" },
} as const;

/** The remote target the flags name (both URLs, or neither); the token is read from RESTATE_AUTH_TOKEN, never a flag. */
function remoteOf(values: { remote?: string; "remote-admin"?: string; "worker-url"?: string; "no-register"?: boolean }) {
  const { remote, "remote-admin": admin } = values;
  if (remote === undefined && admin === undefined) {
    if (values["worker-url"] !== undefined || values["no-register"]) throw new NexusError("usage", "--worker-url and --no-register go with --remote and --remote-admin");
    return undefined;
  }
  if (remote === undefined || admin === undefined) throw new NexusError("usage", "give both --remote <ingress URL> and --remote-admin <admin URL>");
  if (values["worker-url"] !== undefined && values["no-register"]) throw new NexusError("usage", "--worker-url registers that Worker; --no-register uses the one registered: choose one");
  return { ingressUrl: remote, adminUrl: admin, workerUrl: values["worker-url"], register: values["no-register"] !== true };
}

async function dispatch(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (rest.includes("--help") || rest.includes("-h")) {
    process.stdout.write(USAGE);
    return ExitCode.ok;
  }
  switch (command) {
    case "run": {
      const { values } = parseArgs({
        args: rest,
        options: {
          gate: { type: "string", multiple: true },
          seed: { type: "string" },
          budget: { type: "string" },
          runtime: { type: "string" },
          "no-bench": { type: "boolean" },
          ...REMOTE_OPTIONS,
        },
      });
      const remote = remoteOf(values);
      if (remote && values.runtime !== undefined) throw new NexusError("usage", "--runtime and --remote exclude each other");
      const budgetMs = values.budget === undefined ? undefined : parseDuration(values.budget, "--budget");
      return runCommand({ gates: values.gate ?? [], seed: int(values.seed, "seed"), budgetMs, runtime: values.runtime, bench: values["no-bench"] !== true, remote });
    }
    case "stack": {
      const { values } = parseArgs({
        args: rest,
        options: {
          runtime: { type: "string" },
          "hold-ttl-ms": { type: "string" },
          "gateway-latency-ms": { type: "string" },
          "gateway-fail-next": { type: "string" },
          "gateway-forget-keys-after-ms": { type: "string" },
          "gateway-profile": { type: "string" },
        },
      });
      const profile = values["gateway-profile"] ?? "default";
      if (profile !== "default" && profile !== "stripe") throw new NexusError("usage", `--gateway-profile is default or stripe, not "${profile}"`);
      return stackCommand({
        runtime: values.runtime,
        holdTtlMs: int(values["hold-ttl-ms"], "hold-ttl-ms"),
        gatewayLatencyMs: int(values["gateway-latency-ms"], "gateway-latency-ms"),
        gatewayFailNext: int(values["gateway-fail-next"], "gateway-fail-next"),
        gatewayForgetKeysAfterMs: int(values["gateway-forget-keys-after-ms"], "gateway-forget-keys-after-ms"),
        gatewayProfile: profile,
      });
    }
    case "bench": {
      const { values } = parseArgs({
        args: rest,
        options: { quick: { type: "boolean" }, full: { type: "boolean" }, smoke: { type: "boolean" }, design: { type: "string" }, dashboard: { type: "boolean" }, only: { type: "string" }, seed: { type: "string" } },
      });
      const size = values.full ? "full" : values.smoke ? "smoke" : "quick";
      return benchCommand({ size, design: values.design ?? "both", dashboard: values.dashboard ?? false, only: values.only, seed: int(values.seed, "seed") });
    }
    case "check": {
      const { positionals } = parseArgs({ args: rest, allowPositionals: true, options: {} });
      if (positionals.length !== 1) throw new NexusError("usage", "nexus check takes one run folder, e.g. reports/out/latest");
      return checkCommand(positionals[0]!);
    }
    case "compare": {
      const { values } = parseArgs({ args: rest, options: REMOTE_OPTIONS });
      const remote = remoteOf(values);
      if (!remote) throw new NexusError("usage", "nexus compare needs --remote <ingress URL> and --remote-admin <admin URL>");
      return compareCommand(remote);
    }
    case "report": {
      const { positionals } = parseArgs({ args: rest, allowPositionals: true, options: {} });
      if (positionals.length !== 1) throw new NexusError("usage", "nexus report takes one run folder, e.g. reports/out/latest");
      return reportCommand(positionals[0]!);
    }
    case "mutants": {
      const { values } = parseArgs({ args: rest, options: { mutant: { type: "string", multiple: true } } });
      return mutantsCommand({ names: values.mutant ?? [] });
    }
    case undefined:
    case "help":
    case "--help":
    case "-h":
      process.stdout.write(USAGE);
      return command === undefined ? ExitCode.usage : ExitCode.ok;
    default:
      throw new NexusError("usage", `unknown command "${command}"\n${USAGE}`);
  }
}

/** Runs the CLI on `argv` (without node and script) and returns the exit code; errors become one line on stderr. */
export async function main(argv: string[]): Promise<number> {
  installExitHooks();
  try {
    return await dispatch(argv);
  } catch (error) {
    if (error instanceof NexusError) {
      process.stderr.write(`nexus: ${redact(error.message)}\n`);
      return error.exitCode;
    }
    const message = redact(error instanceof Error ? error.message : String(error));
    process.stderr.write(`nexus: ${message}${isUsageError(error) ? " (nexus help lists the commands and their options)" : ""}\n`);
    if (process.env.NEXUS_DEBUG && error instanceof Error) process.stderr.write(`${redact(error.stack ?? "")}\n`);
    return exitCodeOf(error);
  }
}
