import { LOOPBACK } from "../system/ports.js";

/** One DevTools-protocol connection to a Worker's isolate: commands sent by id and their answers matched back; events awaited by name. */
export class InspectorSession {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (result: unknown) => void; reject: (error: Error) => void }>();
  private readonly awaited = new Map<string, Array<{ resolve: (params: unknown) => void; reject: (error: Error) => void }>>();

  private constructor(private readonly socket: WebSocket) {
    socket.addEventListener("message", (event) => {
      const message = JSON.parse(String(event.data)) as { id?: number; method?: string; params?: unknown; result?: unknown; error?: { message: string } };
      if (message.id === undefined) {
        const waiting = message.method === undefined ? undefined : this.awaited.get(message.method);
        if (waiting !== undefined) for (const { resolve } of waiting.splice(0)) resolve(message.params);
        return;
      }
      const waiting = this.pending.get(message.id);
      if (waiting === undefined) return;
      this.pending.delete(message.id);
      if (message.error) waiting.reject(new Error(message.error.message));
      else waiting.resolve(message.result);
    });
    socket.addEventListener("close", () => {
      const closed = new Error("the Worker's inspector closed the connection");
      for (const waiting of this.pending.values()) waiting.reject(closed);
      this.pending.clear();
      for (const waiting of this.awaited.values()) for (const { reject } of waiting.splice(0)) reject(closed);
    });
  }

  /** Opens a session on `url` (a `ws://` inspector target). */
  static open(url: string): Promise<InspectorSession> {
    const socket = new WebSocket(url);
    return new Promise((resolve, reject) => {
      socket.addEventListener("open", () => resolve(new InspectorSession(socket)), { once: true });
      socket.addEventListener("error", () => reject(new Error(`could not connect to the Worker's inspector at ${url}`)), { once: true });
    });
  }

  /** Opens a session on the Worker under test behind the inspector on `inspectorPort`; throws, saying what to check, when there is none. */
  static async ofWorker(inspectorPort: number): Promise<InspectorSession> {
    const listUrl = `http://${LOOPBACK}:${inspectorPort}/json/list`;
    const targets = (await fetch(listUrl)
      .then((response) => response.json())
      .catch((error: Error) => {
        throw new Error(`the Worker's inspector did not answer at ${listUrl} (${error.message}): was the Worker started with inspect?`);
      })) as Array<{ id?: string; webSocketDebuggerUrl?: string }>;
    // Miniflare runs its own helper Workers in the same workerd; the one under test is listed as "core:user:<name>".
    const target = targets.find((t) => t.id?.startsWith("core:user:")) ?? targets[0];
    if (target?.webSocketDebuggerUrl === undefined) throw new Error(`the Worker's inspector at ${listUrl} lists no Worker`);
    return InspectorSession.open(target.webSocketDebuggerUrl);
  }

  /** Sends `method` and resolves with its result; rejects with the inspector's error. */
  send<T = unknown>(method: string, params: Record<string, unknown> = {}): Promise<T> {
    const id = this.nextId++;
    this.socket.send(JSON.stringify({ id, method, params }));
    return new Promise<T>((resolve, reject) => this.pending.set(id, { resolve: resolve as (result: unknown) => void, reject }));
  }

  /**
   * Resolves with the params of the next `method` event (call it before the command that causes it); rejects when the
   * connection closes first. A caller that stops before awaiting it (a command failed first) leaves no unhandled rejection.
   */
  nextEvent<T = unknown>(method: string): Promise<T> {
    const event = new Promise<T>((resolve, reject) =>
      this.awaited.set(method, [...(this.awaited.get(method) ?? []), { resolve: resolve as (params: unknown) => void, reject }]),
    );
    event.catch(() => undefined);
    return event;
  }

  close(): void {
    this.socket.close();
  }
}
