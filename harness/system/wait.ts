/** Options of waitFor: how long at most, how often to look, and what is awaited (for the error). */
export interface WaitOptions {
  timeoutMs: number;
  intervalMs?: number;
  what: string;
  /** Checked before each probe: an error it returns ends the wait at once (e.g. the process being awaited died). */
  failFast?: () => Error | undefined;
}

/** Thrown when a condition did not come true in time. */
export class WaitTimeout extends Error {
  constructor(what: string, timeoutMs: number, lastError?: unknown) {
    const detail = lastError instanceof Error ? ` (last: ${lastError.message})` : "";
    super(`timed out after ${timeoutMs} ms waiting for ${what}${detail}`);
    this.name = "WaitTimeout";
  }
}

export const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Polls `probe` until it returns a value other than undefined/false, and returns it; a probe that throws counts as
 * "not yet". Throws WaitTimeout after `timeoutMs`, or what `failFast` returns as soon as it returns something.
 */
export async function waitFor<T>(probe: () => Promise<T | undefined | false>, options: WaitOptions): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  let lastError: unknown;
  for (;;) {
    const fatal = options.failFast?.();
    if (fatal) throw fatal;
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) throw new WaitTimeout(options.what, options.timeoutMs, lastError);
    await delay(options.intervalMs ?? 50);
  }
}
