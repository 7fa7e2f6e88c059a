import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, existsSync, mkdirSync, type WriteStream } from "node:fs";
import { dirname } from "node:path";
import { groupAlive } from "./proc.js";
import { waitFor } from "./wait.js";

/** What to start: a program, its arguments and environment, and the file its output goes to. */
export interface SpawnSpec {
  name: string;
  command: string;
  args: string[];
  env?: Record<string, string>;
  cwd?: string;
  logPath: string;
  /** Signal the child gets from the kernel when this process dies (Linux `setpriv --pdeathsig`). */
  parentDeathSignal?: "SIGKILL" | "SIGTERM";
  /** Called with each line the child prints (stdout and stderr). */
  onLine?: (line: string) => void;
}

const SETPRIV = "/usr/bin/setpriv";
const live = new Set<ManagedProcess>();
let hooksInstalled = false;
let callerHandlesSignals = false;

/** Tells the exit hooks that the caller stops things itself on SIGINT/SIGTERM (as `nexus stack` does, gracefully). */
export function handleSignalsInCaller(): void {
  callerHandlesSignals = true;
}

/** Sends `signal` to every process of group `pgid`; a group that is gone already is left alone. */
function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // The group has exited.
  }
}

/** Kills every process group this process started and has not stopped yet (synchronous: safe in an exit hook). */
export function killAllManaged(): void {
  for (const managed of live) signalGroup(managed.pid, "SIGKILL");
}

/**
 * Installs, once, the hooks that kill every managed process on exit, and on SIGINT/SIGTERM/SIGHUP (then exit with
 * 130/143), unless the caller said it handles those signals itself.
 */
export function installExitHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.on("exit", killAllManaged);
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.on(signal, () => {
      if (callerHandlesSignals) return;
      killAllManaged();
      process.exit(signal === "SIGINT" ? 130 : 143);
    });
  }
}

/** The processes this process started and has not stopped yet: each one's name (as started) and pid (its group id). */
export function managedProcesses(): Array<{ name: string; pid: number }> {
  return [...live].filter((managed) => managed.running).map((managed) => ({ name: managed.spec.name, pid: managed.pid }));
}

/**
 * A child process in its own process group, with its output in a log file. Stopping or killing it signals the
 * whole group, so grandchildren (workerd under Miniflare) go too; it is also killed when this process exits.
 */
export class ManagedProcess {
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly child: ChildProcess;
  private readonly log: WriteStream;
  private done = false;

  private constructor(readonly spec: SpawnSpec) {
    installExitHooks();
    const viaSetpriv = spec.parentDeathSignal !== undefined && existsSync(SETPRIV);
    const command = viaSetpriv ? SETPRIV : spec.command;
    const args = viaSetpriv ? ["--pdeathsig", spec.parentDeathSignal!, "--", spec.command, ...spec.args] : spec.args;
    mkdirSync(dirname(spec.logPath), { recursive: true });
    this.log = createWriteStream(spec.logPath, { flags: "a" });
    this.log.on("error", (error) => process.stderr.write(`nexus: cannot write ${spec.logPath}: ${error.message}\n`));
    this.child = spawn(command, args, {
      cwd: spec.cwd,
      env: { ...process.env, ...spec.env },
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    if (this.child.pid === undefined) throw new Error(`could not start ${spec.name} (${spec.command})`);
    live.add(this);
    for (const stream of [this.child.stdout, this.child.stderr]) {
      let partial = "";
      stream?.on("data", (chunk: Buffer) => {
        this.log.write(chunk);
        if (!spec.onLine) return;
        const lines = (partial + chunk.toString("utf8")).split("\n");
        partial = lines.pop() ?? "";
        for (const line of lines) spec.onLine(line);
      });
    }
    this.exited = new Promise((resolve) => {
      this.child.once("exit", (code, signal) => {
        this.done = true;
        resolve({ code, signal });
      });
      this.child.once("error", () => {
        this.done = true;
        resolve({ code: null, signal: null });
      });
    });
  }

  /** Starts a process as `spec` says. */
  static start(spec: SpawnSpec): ManagedProcess {
    return new ManagedProcess(spec);
  }

  /** The child's pid, which is also its process group id. */
  get pid(): number {
    return this.child.pid!;
  }

  /** True until the child has exited. */
  get running(): boolean {
    return !this.done;
  }

  /** Freezes (SIGSTOP) or thaws (SIGCONT) the whole group: a paused process holds its sockets but answers nothing. */
  freeze(frozen: boolean): void {
    signalGroup(this.pid, frozen ? "SIGSTOP" : "SIGCONT");
  }

  /** Asks the group to stop (SIGTERM), then SIGKILLs whatever is left after `graceMs`; waits until all of it is gone. */
  async stop(graceMs = 5_000): Promise<void> {
    signalGroup(this.pid, "SIGTERM");
    await Promise.race([this.exited, new Promise((resolve) => setTimeout(resolve, graceMs))]);
    await this.kill();
  }

  /** SIGKILLs the whole group at once (a crash) and waits until every process in it is gone. */
  async kill(): Promise<void> {
    signalGroup(this.pid, "SIGKILL");
    await this.exited;
    // A killed process can linger as a zombie until its parent (for an orphan, init) reaps it: it holds nothing then.
    await waitFor(async () => !groupAlive(this.pid), { timeoutMs: 30_000, what: `${this.spec.name} process group to exit` });
    live.delete(this);
    await new Promise<void>((resolve) => this.log.end(resolve));
  }
}

/** A service run as one ManagedProcess that can be crashed and started again on the same ports and data. */
export abstract class RestartableService {
  protected process: ManagedProcess | undefined;
  private stopped = false;

  /** Starts the process and waits until the service is ready. */
  abstract launch(): Promise<void>;

  /** Crashes the service now: SIGKILL to its whole process group; returns once every process in it is gone. */
  async kill(): Promise<void> {
    await this.process?.kill();
  }

  /** Starts the service again on the same ports and data (after kill, or stopping it first). */
  async restart(): Promise<void> {
    if (this.process?.running) await this.process.stop();
    await this.launch();
  }

  /** Stops the service for good; returns false when it had been stopped already. */
  protected async stopOnce(graceMs?: number): Promise<boolean> {
    if (this.stopped) return false;
    this.stopped = true;
    await this.process?.stop(graceMs);
    return true;
  }
}
