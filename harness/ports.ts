import { createServer, type AddressInfo, type Server } from "node:net";
import getPort from "get-port";
import { NexusError } from "./errors.js";

/** The loopback address every server of the harness binds to. */
export const LOOPBACK = "127.0.0.1";

async function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen({ port, host: LOOPBACK }, () => server.close(() => resolve(true)));
  });
}

/**
 * A loopback port for `what`: the one the environment variable `envName` names (which must be free), else a free
 * one. A named port in use is a NexusError("portInUse") that says how to fix it.
 */
export async function choosePort(what: string, envName: string): Promise<number> {
  const named = process.env[envName];
  if (named !== undefined && named !== "") {
    const port = Number(named);
    if (!Number.isInteger(port) || port <= 0 || port > 65_535) {
      throw new NexusError("usage", `${envName}=${named} is not a port number: give 1-65535 or unset it`);
    }
    if (!(await isFree(port))) {
      throw new NexusError("portInUse", `port ${port} (${what}) in use: set ${envName} to another port or stop the other server`);
    }
    return port;
  }
  return getPort({ host: LOOPBACK });
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
