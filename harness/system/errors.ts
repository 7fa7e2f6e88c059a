/** Exit codes of the `nexus` CLI, one per kind of failure. */
export const ExitCode = {
  ok: 0,
  gateFailed: 1,
  usage: 2,
  portInUse: 3,
  binaryMissing: 4,
  bundleFailed: 5,
  startFailed: 6,
  registrationFailed: 7,
  engineMissing: 8,
  authFailed: 9,
  interrupted: 130,
} as const;
export type ExitCodeName = keyof typeof ExitCode;

/** True for node:util parseArgs' errors: an unknown option or a missing value on the command line. */
export function isUsageError(error: unknown): boolean {
  return error instanceof TypeError && "code" in error && String(error.code).startsWith("ERR_PARSE_ARGS");
}

/** The exit code a failure maps to: a NexusError's own, `usage` for a malformed command line, else `gateFailed`. */
export function exitCodeOf(error: unknown): number {
  if (error instanceof NexusError) return error.exitCode;
  return isUsageError(error) ? ExitCode.usage : ExitCode.gateFailed;
}

/** A failure the CLI turns into one line and an exit code: `message` says what failed and what to do. */
export class NexusError extends Error {
  constructor(
    readonly kind: ExitCodeName,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "NexusError";
  }

  /** The process exit code for this failure. */
  get exitCode(): number {
    return ExitCode[this.kind];
  }
}
