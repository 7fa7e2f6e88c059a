import { LOOPBACK } from "../system/ports.js";
import { BinaryRuntime } from "../runtime/binary-runtime.js";
import { startDelayProxy } from "./delay-proxy.js";
import { startTokenFront } from "./token-front.js";

/** A local stand-in for a Restate Cloud environment: what a remote target is given, and how to stop it. */
export interface CloudStandIn {
  /** Ingress and admin as a client reaches them: through the delay, then the token check. */
  readonly ingressUrl: string;
  readonly adminUrl: string;
  /** Added latency per direction; a request-response costs twice this. */
  readonly delayMs: number;
  /** How the latency is added, in words (for the output and the note). */
  readonly latency: string;
  stop(): Promise<void>;
}

const portOf = (url: string) => Number(new URL(url).port);

/**
 * Starts a local Restate (the native binary, in `workDir`) behind a front that demands `token` and a TCP proxy
 * that delays every chunk by `delayMs` each way: Restate Cloud as a client far from it sees it, without the internet.
 */
export async function startCloudStandIn(options: { token: string; delayMs: number; workDir: string }): Promise<CloudStandIn> {
  const stops: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    for (const stop of stops.splice(0).reverse()) await stop().catch(() => undefined);
  };
  try {
    const restate = await new BinaryRuntime({ workDir: options.workDir }).start();
    stops.push(() => restate.stop());
    const urls: string[] = [];
    for (const upstream of [restate.ingressUrl, restate.adminUrl]) {
      const front = await startTokenFront(portOf(upstream), options.token);
      stops.push(() => front.stop());
      const proxy = await startDelayProxy(front.port, options.delayMs);
      stops.push(() => proxy.stop());
      urls.push(`http://${LOOPBACK}:${proxy.port}`);
    }
    return {
      ingressUrl: urls[0]!,
      adminUrl: urls[1]!,
      delayMs: options.delayMs,
      latency: `a TCP proxy holding every chunk ${options.delayMs} ms each way (tc netem is not available on this kernel)`,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
