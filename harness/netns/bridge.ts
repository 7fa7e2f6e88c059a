import { fileURLToPath } from "node:url";
import { projectRoot, TSX_LOADER } from "../system/paths.js";
import { ManagedProcess } from "../system/process.js";
import { waitFor } from "../system/wait.js";
import type { Forwarding } from "./socket-bridge.js";

const BRIDGE_SCRIPT = fileURLToPath(new URL("./socket-bridge.ts", import.meta.url));

/** How to start one bridge process: what it forwards, where it logs, and (optionally) the namespace wrapper to run it in. */
export interface BridgeSpec {
  name: string;
  forwardings: Forwarding[];
  logPath: string;
  /** Runs the bridge through this (e.g. `ip netns exec <ns>`), given the command and arguments of the bridge itself. */
  wrap?: (command: string, args: string[]) => { command: string; args: string[] };
}

/** Starts a socket bridge and returns it once every listener is up; throws (after stopping it) if it cannot listen. */
export async function startBridge(spec: BridgeSpec): Promise<ManagedProcess> {
  const own = { command: process.execPath, args: ["--import", TSX_LOADER, BRIDGE_SCRIPT, JSON.stringify(spec.forwardings)] };
  const { command, args } = spec.wrap ? spec.wrap(own.command, own.args) : own;
  let ready = false;
  let failure: string | undefined;
  const bridge = ManagedProcess.start({
    name: spec.name,
    command,
    args,
    cwd: projectRoot,
    logPath: spec.logPath,
    parentDeathSignal: "SIGKILL",
    onLine: (line) => {
      if (line === "READY") ready = true;
      if (line.startsWith("FAILED ")) failure = line.slice(7);
    },
  });
  try {
    await waitFor(async () => ready, {
      timeoutMs: 30_000,
      what: `${spec.name} to listen`,
      failFast: () =>
        failure !== undefined ? new Error(`${spec.name}: ${failure}`) : bridge.running ? undefined : new Error(`${spec.name} exited; see ${spec.logPath}`),
    });
  } catch (error) {
    await bridge.kill();
    throw error;
  }
  return bridge;
}
