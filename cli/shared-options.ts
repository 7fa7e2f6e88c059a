import { resolve } from "node:path";
import { NexusError } from "../harness/system/errors.js";
import { RUNTIME_NAMES, wranglerConfigIn, WRANGLER_CONFIG_FILES, type WorkerChoice } from "../jobs/options.js";
import { listOf, stringOf, type OptionSpec, type ParsedArgs } from "./command.js";

/** The options that point a command at a remote Restate environment. */
export const REMOTE_OPTIONS: Record<string, OptionSpec> = {
  remote: { type: "string", value: "URL", help: "a remote Restate's ingress (e.g. Restate Cloud; token from RESTATE_AUTH_TOKEN)" },
  "remote-admin": { type: "string", value: "URL", help: "that environment's admin API" },
  "worker-url": { type: "string", value: "URL", help: "a deployed Worker to register there (default: the harness's own Worker)" },
  "no-register": { type: "boolean", help: "use the deployment already registered there" },
};

/** The option that names the Worker under test. */
export const WORKER_OPTION: Record<string, OptionSpec> = {
  worker: {
    type: "string",
    value: "DIR",
    help: "the Worker project to judge (its wrangler config + nexus-worker.ts; default NEXUS_WORKER, else the reference Worker)",
  },
  "wrangler-env": {
    type: "string",
    value: "NAME",
    help: "run the Worker as its wrangler config's [env.NAME] (default NEXUS_WRANGLER_ENV, else the top level)",
  },
};

/** The option that gives the Worker under test extra bindings. */
export const WORKER_ENV_OPTION: Record<string, OptionSpec> = {
  "worker-env": { type: "string", multiple: true, value: "KEY=VALUE", help: "a binding for the Worker under test (a gate's own settings win)" },
};

/** The option that names the Restate runtime. */
export const RUNTIME_OPTION: Record<string, OptionSpec> = {
  runtime: { type: "string", value: RUNTIME_NAMES.join("|"), help: "how to run Restate (default NEXUS_RUNTIME, else binary)" },
};

/** The remote target the options name (both URLs, or neither); the token is read from RESTATE_AUTH_TOKEN, never a flag. */
export function remoteOf(args: ParsedArgs): { ingressUrl: string; adminUrl: string; workerUrl?: string; register: boolean } | undefined {
  const remote = stringOf(args, "remote");
  const admin = stringOf(args, "remote-admin");
  const workerUrl = stringOf(args, "worker-url");
  const noRegister = args.values["no-register"] === true;
  if (remote === undefined && admin === undefined) {
    if (workerUrl !== undefined || noRegister) throw new NexusError("usage", "--worker-url and --no-register go with --remote and --remote-admin");
    return undefined;
  }
  if (remote === undefined || admin === undefined) throw new NexusError("usage", "give both --remote <ingress URL> and --remote-admin <admin URL>");
  if (workerUrl !== undefined && noRegister)
    throw new NexusError("usage", "--worker-url registers that Worker; --no-register uses the one registered: choose one");
  return { ingressUrl: remote, adminUrl: admin, workerUrl, register: !noRegister };
}

/** The runtime named, checked against the known ones before any work starts. */
export function runtimeOf(args: ParsedArgs): string | undefined {
  const runtime = stringOf(args, "runtime") ?? process.env.NEXUS_RUNTIME;
  if (runtime !== undefined && !(RUNTIME_NAMES as readonly string[]).includes(runtime)) {
    throw new NexusError("usage", `unknown runtime "${runtime}": choose ${RUNTIME_NAMES.join(", ")} (--runtime or NEXUS_RUNTIME)`);
  }
  return runtime;
}

/** The Worker bindings `--worker-env KEY=VALUE` (or option `name`) gives; a value without `=` or with a malformed key is a usage error. */
export function workerEnvOf(args: ParsedArgs, name = "worker-env"): Record<string, string> {
  const env: Record<string, string> = {};
  for (const pair of listOf(args, name)) {
    const match = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(pair);
    if (!match) throw new NexusError("usage", `--${name} takes KEY=VALUE, not "${pair}"`);
    env[match[1]!] = match[2]!;
  }
  return env;
}

/** The Worker under test the options name, its folder checked for a wrangler config before any work starts. */
export function workerOf(args: ParsedArgs): WorkerChoice {
  const dir = stringOf(args, "worker");
  const wranglerEnv = stringOf(args, "wrangler-env");
  if (dir !== undefined && wranglerConfigIn(resolve(dir)) === undefined) {
    throw new NexusError("usage", `--worker ${dir} has no ${WRANGLER_CONFIG_FILES.join(", ")}: give a Worker project folder`);
  }
  return { dir, wranglerEnv };
}
