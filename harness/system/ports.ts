import { readFileSync } from "node:fs";
import { createServer, type AddressInfo, type Server } from "node:net";
import getPort from "get-port";
import { NexusError } from "./errors.js";

/** The loopback address every server of the harness binds to. */
export const LOOPBACK = "127.0.0.1";

/** Lowest port the harness hands out: above the registered services most machines run. */
const LOWEST_STABLE_PORT = 20_000;
/** How many random candidates to try before falling back to any free port. */
const CANDIDATES = 64;

/**
 * The first port the kernel hands to outgoing connections (Linux's ip_local_port_range; 32768 elsewhere, below
 * both Linux's and the IANA range). A server that must come back on its port after a crash lives below it, where
 * no outgoing connection (Restate to the Worker, the load engine to Restate) can take the port while the server is down.
 */
export function firstEphemeralPort(): number {
  try {
    const low = Number(readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8").trim().split(/\s+/)[0]);
    return Number.isInteger(low) && low > 1024 ? low : 32_768;
  } catch {
    return 32_768;
  }
}

function* randomStablePorts(): Generator<number> {
  const high = firstEphemeralPort() - 1;
  const low = Math.min(LOWEST_STABLE_PORT, Math.max(1025, high - 1000));
  for (let i = 0; i < CANDIDATES; i++) yield low + Math.floor(Math.random() * (high - low + 1));
}

async function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen({ port, host: LOOPBACK }, () => server.close(() => resolve(true)));
  });
}

/**
 * A loopback port for `what`: the one the environment variable `envName` names (which must be free), else a free
 * one below the ephemeral range, reserved for this process so no later call hands it out again (see
 * firstEphemeralPort). A named port in use is a NexusError("portInUse") that says how to fix it.
 */
export async function choosePort(what: string, envName: string): Promise<number> {
  if (portIsNamed(envName)) {
    const named = process.env[envName]!;
    const port = Number(named);
    if (!Number.isInteger(port) || port <= 0 || port > 65_535) {
      throw new NexusError("usage", `${envName}=${named} is not a port number: give 1-65535 or unset it`);
    }
    if (!(await isFree(port))) {
      throw new NexusError("portInUse", `port ${port} (${what}) in use: set ${envName} to another port or stop the other server`);
    }
    return port;
  }
  return stablePort();
}

/** A free loopback port below the ephemeral range, reserved for this process so no later call hands it out again. */
export function stablePort(): Promise<number> {
  return getPort({ host: LOOPBACK, port: randomStablePorts(), reserve: true });
}

/** Whether `envName` names a port, so a start that finds it taken must fail rather than try another. */
export function portIsNamed(envName: string): boolean {
  const named = process.env[envName];
  return named !== undefined && named !== "";
}

/** Starts `server` listening on a free loopback port and returns the port; rejects if it cannot listen. */
export async function listenOnLoopback(server: Server): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, LOOPBACK, () => {
      server.off("error", reject);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}
