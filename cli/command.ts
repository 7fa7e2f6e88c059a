import { parseArgs } from "node:util";
import { NexusError } from "../harness/system/errors.js";

/** One option of a command: its kind, the placeholder of its value, and one line of help. */
export interface OptionSpec {
  type: "string" | "boolean";
  multiple?: boolean;
  /** The value's placeholder in the help, e.g. "N" or "binary|container|cluster". */
  value?: string;
  help: string;
}

/** The parsed command line of one command. */
export interface ParsedArgs {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

/** A `nexus` command: its name, one-line summary, positionals, options, and the job it calls with them. */
export interface CommandSpec {
  name: string;
  summary: string;
  /** The positionals' placeholder, e.g. "RUN_DIR"; absent when it takes none. */
  positionals?: string;
  options: Record<string, OptionSpec>;
  /** Checks the parsed options (a usage error names the wrong one) and runs the command's one job; returns its exit code. */
  run(args: ParsedArgs): Promise<number>;
}

/** `nexus <command> --help`: the usage line and one line per option. */
export function helpOf(spec: CommandSpec): string {
  const lines = [
    `usage: nexus ${spec.name}${spec.positionals ? ` ${spec.positionals}` : ""}${Object.keys(spec.options).length > 0 ? " [options]" : ""}`,
    "",
    `  ${spec.summary}`,
    "",
  ];
  const flag = (name: string, option: OptionSpec) =>
    `--${name}${option.type === "string" ? ` ${option.value ?? "VALUE"}` : ""}${option.multiple ? " (repeatable)" : ""}`;
  const width = Math.max(0, ...Object.entries(spec.options).map(([name, o]) => flag(name, o).length));
  for (const [name, option] of Object.entries(spec.options)) lines.push(`  ${flag(name, option).padEnd(width)}  ${option.help}`);
  return `${lines.join("\n")}\n`;
}

/** Parses `argv` against the command's options; an unknown option or a missing value is a usage error that names it. */
export function parseCommandArgs(spec: CommandSpec, argv: string[]): ParsedArgs {
  const options = Object.fromEntries(Object.entries(spec.options).map(([name, o]) => [name, { type: o.type, multiple: o.multiple ?? false }]));
  try {
    const { values, positionals } = parseArgs({ args: argv, options, allowPositionals: spec.positionals !== undefined, strict: true });
    return { values: values as ParsedArgs["values"], positionals };
  } catch (error) {
    throw new NexusError("usage", `${(error as Error).message.split("\n")[0]} (nexus ${spec.name} --help lists its options)`);
  }
}

/** The string value of option `name`, if given. */
export function stringOf(args: ParsedArgs, name: string): string | undefined {
  const value = args.values[name];
  return typeof value === "string" ? value : undefined;
}

/** Whether boolean option `name` was given. */
export function flagOf(args: ParsedArgs, name: string): boolean {
  return args.values[name] === true;
}

/** Every value of repeatable option `name`. */
export function listOf(args: ParsedArgs, name: string): string[] {
  const value = args.values[name];
  return Array.isArray(value) ? value : [];
}

/** The whole number ≥ 0 option `name` holds, if given; anything else is a usage error. */
export function countOf(args: ParsedArgs, name: string): number | undefined {
  const value = stringOf(args, name);
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new NexusError("usage", `--${name} takes a whole number ≥ 0, not "${value}"`);
  return n;
}

/** The number ≥ 0 option `name` holds (e.g. a price, 0.02), if given; anything else is a usage error. */
export function amountOf(args: ParsedArgs, name: string): number | undefined {
  const value = stringOf(args, name);
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n) || n < 0) throw new NexusError("usage", `--${name} takes a number ≥ 0, not "${value}"`);
  return n;
}

/** The one positional a command takes; none or several is a usage error that shows an example. */
export function onePositional(args: ParsedArgs, command: string, example: string): string {
  if (args.positionals.length !== 1) throw new NexusError("usage", `nexus ${command} takes one ${example}`);
  return args.positionals[0]!;
}
