import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { listenOnLoopback, LOOPBACK } from "../system/ports.js";

/**
 * A mutable URL in front of a Worker, as a Cloudflare alias (`<name>.workers.dev`, a custom domain, a preview alias)
 * is: every request is passed on to the Worker it points at now, and `pointAt` moves it, as `wrangler deploy` does.
 */
export class AliasProxy {
  private constructor(
    private readonly server: Server,
    readonly port: number,
    private target: string,
  ) {}

  /** Starts the alias on a free loopback port, pointing at `target` (a Worker's base URL). */
  static async start(target: string): Promise<AliasProxy> {
    let alias: AliasProxy | undefined;
    const server = createServer((incoming, outgoing) => alias?.forward(incoming, outgoing));
    const port = await listenOnLoopback(server);
    alias = new AliasProxy(server, port, target);
    return alias;
  }

  /** The alias's own URL, the one a team would register. */
  get url(): string {
    return `http://${LOOPBACK}:${this.port}`;
  }

  /** Points the alias at another Worker: every later request goes there. */
  pointAt(target: string): void {
    this.target = target;
  }

  private forward(incoming: IncomingMessage, outgoing: ServerResponse): void {
    const target = new URL(incoming.url ?? "/", this.target);
    const upstream = request(target, { method: incoming.method, headers: { ...incoming.headers, host: target.host } }, (answer) => {
      outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(outgoing);
    });
    // The Worker behind it is gone or reset the connection: the caller sees it as it would see the Worker itself.
    upstream.on("error", () => outgoing.destroy());
    incoming.pipe(upstream);
  }

  /** Stops listening and closes every connection. */
  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
