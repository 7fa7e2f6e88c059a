/** An answer the gateway gave: an HTTP status and a JSON body. */
export interface Answer {
  status: number;
  body: Record<string, unknown>;
}

/** What a key's first request asked for; a later request with the same key must ask for the same. */
export type Parameters = Record<string, unknown>;

/** Where a request with an idempotency key stands. */
export type KeyState = { kind: "new" } | { kind: "in-flight" } | { kind: "other-parameters"; first: Parameters } | { kind: "stored"; answer: Answer };

interface Stored {
  answer: Answer;
  parameters: Parameters;
  storedAt: number;
}

/** The same parameters, whatever the order of their fields. */
function sameParameters(a: Parameters, b: Parameters): boolean {
  return canonical(a) === canonical(b);
}

function canonical(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "undefined";
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
}

/**
 * Idempotency keys as a real gateway keeps them (Stripe's documented behaviour): a key whose first request is still
 * being processed is "in-flight" (a second request is refused, not attached); a stored answer is replayed only to a
 * request with the same parameters; stored answers are forgotten after a retention period, after which the key is new.
 */
export class IdempotencyKeys {
  private readonly stored = new Map<string, Stored>();
  private readonly inFlight = new Map<string, Parameters>();

  /** Where `key` stands for a request with `parameters`, after forgetting answers older than `retentionMs`. */
  stateOf(key: string, parameters: Parameters, retentionMs: number | undefined): KeyState {
    if (retentionMs !== undefined) this.forgetOlderThan(retentionMs);
    if (this.inFlight.has(key)) return { kind: "in-flight" };
    const stored = this.stored.get(key);
    if (stored === undefined) return { kind: "new" };
    if (!sameParameters(stored.parameters, parameters)) return { kind: "other-parameters", first: stored.parameters };
    return { kind: "stored", answer: stored.answer };
  }

  /** Marks `key` as being processed for `parameters`. */
  begin(key: string, parameters: Parameters): void {
    this.inFlight.set(key, parameters);
  }

  /** Ends the processing of `key`; with `answer`, stores it to be replayed. */
  end(key: string, answer: Answer | undefined): void {
    const parameters = this.inFlight.get(key) ?? {};
    this.inFlight.delete(key);
    if (answer !== undefined) this.stored.set(key, { answer, parameters, storedAt: Date.now() });
  }

  /** How many keys are being processed now. */
  get inFlightCount(): number {
    return this.inFlight.size;
  }

  /** Forgets every stored answer (as a gateway does once its retention passed): the next request with a key is new. */
  forgetAll(): number {
    const n = this.stored.size;
    this.stored.clear();
    return n;
  }

  private forgetOlderThan(retentionMs: number): void {
    const cutoff = Date.now() - retentionMs;
    for (const [key, entry] of this.stored) if (entry.storedAt <= cutoff) this.stored.delete(key);
  }
}
