import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ExitCode, exitCodeOf, NexusError } from "../harness/system/errors.js";
import { projectRoot } from "../harness/system/paths.js";
import { installExitHooks } from "../harness/system/process.js";
import { redact } from "../jobs/options.js";
import { helpOf, parseCommandArgs, type CommandSpec } from "./command.js";
import { auditCommand } from "./commands/audit.js";
import { benchCommand } from "./commands/bench.js";
import { compareCommand } from "./commands/compare.js";
import { deployCheckCommand } from "./commands/deploy-check.js";
import { listCommand } from "./commands/list.js";
import { mutantsCommand } from "./commands/mutants.js";
import { runCommand } from "./commands/run.js";
import { soakCommand } from "./commands/soak.js";
import { stackCommand } from "./commands/stack.js";
import { upgradeCheckCommand } from "./commands/upgrade-check.js";
import { checkCommand, reportCommand } from "./commands/stored-runs.js";

const COMMANDS: CommandSpec[] = [
  runCommand,
  stackCommand,
  benchCommand,
  compareCommand,
  auditCommand,
  checkCommand,
  reportCommand,
  mutantsCommand,
  listCommand,
  soakCommand,
  deployCheckCommand,
  upgradeCheckCommand,
];

/** `nexus help`: every command with its summary. */
function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    "usage: nexus <command> [options]      (nexus <command> --help lists its options)",
    "",
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    "",
    "  --version   print nexus's version",
    "",
  ].join("\n");
}

function version(): string {
  return (JSON.parse(readFileSync(join(projectRoot, "package.json"), "utf8")) as { version: string }).version;
}

async function dispatch(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === "--version" || name === "-v") {
    process.stdout.write(`nexus ${version()}\n`);
    return ExitCode.ok;
  }
  if (name === "help" || name === "--help" || name === "-h") {
    const about = COMMANDS.find((c) => c.name === rest[0]);
    process.stdout.write(about ? helpOf(about) : usage());
    return ExitCode.ok;
  }
  if (name === undefined) {
    process.stderr.write(usage());
    return ExitCode.usage;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (command === undefined) throw new NexusError("usage", `unknown command "${name}": choose ${COMMANDS.map((c) => c.name).join(", ")} (nexus help)`);
  if (rest.includes("--help") || rest.includes("-h")) {
    process.stdout.write(helpOf(command));
    return ExitCode.ok;
  }
  return command.run(parseCommandArgs(command, rest));
}

/** Runs the CLI on `argv` (without node and script) and returns the exit code; errors become one line on stderr. */
export async function main(argv: string[]): Promise<number> {
  installExitHooks();
  try {
    return await dispatch(argv);
  } catch (error) {
    const message = redact(error instanceof Error ? error.message : String(error));
    process.stderr.write(`nexus: ${message}\n`);
    if (!(error instanceof NexusError) && process.env.NEXUS_DEBUG && error instanceof Error) process.stderr.write(`${redact(error.stack ?? "")}\n`);
    return exitCodeOf(error);
  }
}
