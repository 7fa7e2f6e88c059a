import { createConnection, createServer, type Server, type Socket } from "node:net";
import { listenOnLoopback, LOOPBACK } from "../system/ports.js";

/** A TCP proxy on loopback that adds latency: every chunk is held `delayMs` before it is passed on, both ways. */
export interface DelayProxy {
  readonly port: number;
  readonly delayMs: number;
  stop(): Promise<void>;
}

/** Passes `from`'s data to `to`, each chunk `delayMs` late, in order; ends `to` after the last chunk. */
function pipeDelayed(from: Socket, to: Socket, delayMs: number): void {
  from.on("data", (chunk) => {
    setTimeout(() => {
      if (!to.destroyed) to.write(chunk);
    }, delayMs);
  });
  from.on("end", () => setTimeout(() => to.end(), delayMs));
  from.on("error", () => to.destroy());
  from.on("close", () => setTimeout(() => to.destroy(), delayMs + 1));
}

/**
 * Starts a delaying proxy to `127.0.0.1:upstreamPort`. One request-response over a kept-alive connection costs
 * 2 × `delayMs` more than without it. (Real network delay with `tc netem` is not available on this kernel.)
 */
export async function startDelayProxy(upstreamPort: number, delayMs: number): Promise<DelayProxy> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = createConnection({ host: LOOPBACK, port: upstreamPort });
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.setNoDelay(true);
      s.on("close", () => sockets.delete(s));
    }
    pipeDelayed(client, upstream, delayMs);
    pipeDelayed(upstream, client, delayMs);
  });
  const port = await listenOnLoopback(server);
  return {
    port,
    delayMs,
    stop: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
