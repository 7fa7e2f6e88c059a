import type { Profiler } from "node:inspector";
import { LOOPBACK } from "../system/ports.js";

/** A CPU profile being recorded in a Worker's isolate. */
export interface RecordingProfile {
  /** Ends the recording and returns the profile (Chrome DevTools' .cpuprofile format). */
  stop(): Promise<Profiler.Profile>;
}

/** One DevTools-protocol connection: commands sent by id, their answers matched back; events are ignored. */
class InspectorSession {
  private next = 1;
  private readonly pending = new Map<number, { resolve: (result: unknown) => void; reject: (error: Error) => void }>();

  private constructor(private readonly socket: WebSocket) {
    socket.addEventListener("message", (event) => {
      const message = JSON.parse(String(event.data)) as { id?: number; result?: unknown; error?: { message: string } };
      const waiting = message.id === undefined ? undefined : this.pending.get(message.id);
      if (waiting === undefined) return;
      this.pending.delete(message.id!);
      if (message.error) waiting.reject(new Error(message.error.message));
      else waiting.resolve(message.result);
    });
    socket.addEventListener("close", () => {
      for (const waiting of this.pending.values()) waiting.reject(new Error("the Worker's inspector closed the connection"));
      this.pending.clear();
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

  /** Sends `method` and resolves with its result; rejects with the inspector's error. */
  send<T = unknown>(method: string, params: Record<string, unknown> = {}): Promise<T> {
    const id = this.next++;
    this.socket.send(JSON.stringify({ id, method, params }));
    return new Promise<T>((resolve, reject) => this.pending.set(id, { resolve: resolve as (result: unknown) => void, reject }));
  }

  close(): void {
    this.socket.close();
  }
}

/**
 * Starts recording a CPU profile of the Worker behind Miniflare's inspector on `inspectorPort` (its first target),
 * sampling every `intervalUs` microseconds; throws, saying what to check, when the inspector cannot be reached.
 */
export async function startCpuProfile(inspectorPort: number, intervalUs = 200): Promise<RecordingProfile> {
  const listUrl = `http://${LOOPBACK}:${inspectorPort}/json/list`;
  const targets = (await fetch(listUrl)
    .then((response) => response.json())
    .catch((error: Error) => {
      throw new Error(`the Worker's inspector did not answer at ${listUrl} (${error.message}): was the Worker started with inspect?`);
    })) as Array<{ webSocketDebuggerUrl?: string }>;
  const url = targets[0]?.webSocketDebuggerUrl;
  if (url === undefined) throw new Error(`the Worker's inspector at ${listUrl} lists no Worker to profile`);
  const session = await InspectorSession.open(url);
  await session.send("Profiler.enable");
  await session.send("Profiler.setSamplingInterval", { interval: intervalUs });
  await session.send("Profiler.start");
  return {
    async stop() {
      try {
        const { profile } = await session.send<{ profile: Profiler.Profile }>("Profiler.stop");
        return profile;
      } finally {
        session.close();
      }
    },
  };
}
