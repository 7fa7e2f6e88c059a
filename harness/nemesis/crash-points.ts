import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { listenOnLoopback, LOOPBACK } from "../system/ports.js";

interface Armed {
  point: string;
  waiting: Set<string>;
  reached: string[];
  done: (reached: string[]) => void;
  timer: NodeJS.Timeout | undefined;
  windowMs: number;
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * The harness's end of the Worker's crash points: the Worker (with NEXUS_CRASHPOINT_URL) reports each named step it
 * reaches. Reports for an armed (point, booking) are held unanswered, so the Worker stands still exactly there until
 * the test kills it; every other report is answered at once.
 */
export class CrashPoints {
  private readonly armed: Armed[] = [];
  private readonly held: ServerResponse[] = [];
  /** How many reports arrived, by point (armed or not): proof the Worker's crash points are wired. */
  readonly reports = new Map<string, number>();

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  /** Starts listening on a free loopback port. */
  static async start(): Promise<CrashPoints> {
    let points: CrashPoints | undefined;
    const server = createServer((request, response) => {
      readBody(request).then(
        (body) => points!.report(body, response),
        () => response.destroy(),
      );
    });
    const port = await listenOnLoopback(server);
    points = new CrashPoints(server, `http://${LOOPBACK}:${port}/crashpoint`);
    return points;
  }

  /**
   * Arms `point` for `bookingIds`: each one's first report there is held. Resolves with the bookings that reached it,
   * once all have, or `windowMs` after the first one did (or after arming, when none comes).
   */
  arm(point: string, bookingIds: string[], windowMs = 5_000): Promise<string[]> {
    return new Promise((resolve) => {
      const armed: Armed = { point, waiting: new Set(bookingIds), reached: [], done: resolve, timer: undefined, windowMs };
      armed.timer = setTimeout(() => this.finish(armed), windowMs * 3);
      this.armed.push(armed);
    });
  }

  /**
   * Ends every armed point now, resolving each `arm` with the bookings that reached it so far. Call it only when no
   * report is held (nothing reached the point), e.g. once every booking it was armed for has finished.
   */
  disarm(): void {
    for (const armed of [...this.armed]) this.finish(armed);
  }

  /** Drops every held report (call after the Worker was killed: their connections are dead anyway). */
  dropHeld(): void {
    for (const response of this.held.splice(0)) response.destroy();
  }

  /** Stops listening. */
  async stop(): Promise<void> {
    this.dropHeld();
    for (const armed of this.armed.splice(0)) this.finish(armed);
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private finish(armed: Armed): void {
    clearTimeout(armed.timer);
    const index = this.armed.indexOf(armed);
    if (index >= 0) this.armed.splice(index, 1);
    armed.done(armed.reached);
  }

  private report(body: string, response: ServerResponse): void {
    let point = "";
    let bookingId = "";
    try {
      ({ point, bookingId } = JSON.parse(body) as { point: string; bookingId: string });
    } catch {
      response.writeHead(400).end();
      return;
    }
    this.reports.set(point, (this.reports.get(point) ?? 0) + 1);
    const armed = this.armed.find((a) => a.point === point && a.waiting.has(bookingId));
    if (!armed) {
      response.writeHead(204).end();
      return;
    }
    armed.waiting.delete(bookingId);
    armed.reached.push(bookingId);
    this.held.push(response);
    if (armed.waiting.size === 0) this.finish(armed);
    else if (armed.reached.length === 1) {
      clearTimeout(armed.timer);
      armed.timer = setTimeout(() => this.finish(armed), armed.windowMs);
    }
  }
}
