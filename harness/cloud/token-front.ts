import { Agent, createServer, request, type IncomingMessage, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { listenOnLoopback, LOOPBACK } from "../system/ports.js";

/** An HTTP front on loopback that demands a bearer token, as Restate Cloud does, and forwards to a local Restate. */
export interface TokenFront {
  readonly port: number;
  stop(): Promise<void>;
}

function refuse(res: ServerResponse, status: 401 | 403): void {
  const message = status === 401 ? "missing bearer token" : "invalid bearer token";
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify({ message }));
}

/** Starts a front for `http://127.0.0.1:<upstreamPort>`: 401 without `Authorization: Bearer`, 403 with a wrong token. */
export async function startTokenFront(upstreamPort: number, token: string): Promise<TokenFront> {
  const agent = new Agent({ keepAlive: true });
  const sockets = new Set<Socket>();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const auth = req.headers.authorization;
    if (auth === undefined || !auth.startsWith("Bearer ")) return refuse(res, 401);
    if (auth.slice("Bearer ".length) !== token) return refuse(res, 403);
    const headers = { ...req.headers };
    delete headers.authorization;
    const upstream = request({ host: LOOPBACK, port: upstreamPort, method: req.method, path: req.url, headers, agent }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on("error", (error) => {
      if (!res.headersSent) res.writeHead(502, { "content-type": "text/plain" });
      res.end(`stand-in front: upstream failed: ${error.message}`);
    });
    req.pipe(upstream);
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  const port = await listenOnLoopback(server);
  return {
    port,
    stop: async () => {
      for (const s of sockets) s.destroy();
      agent.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
