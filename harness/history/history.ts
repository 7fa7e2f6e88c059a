/** Jepsen's op types: an invocation, then its completion as ok (it happened), fail (it did not) or info (unknown). */
export type OpType = "invoke" | "ok" | "fail" | "info";

/** One line of a history. */
export interface Op {
  index: number;
  /** Who acted: a client id, or "nemesis". */
  process: string;
  type: OpType;
  /** What was done: "checkout", "reserve", "get", a nemesis action… */
  f: string;
  value: Record<string, unknown>;
  /** Milliseconds since the history began. */
  time: number;
  /** For a completion: the index of its invocation. */
  invokeIndex?: number;
}

/**
 * Records every operation twice, when invoked and when completed, in the order it happened. Its first op (an
 * `expect clock`) holds the wall-clock time the history began, so ops can be set beside the gateway's ledger.
 */
export class History {
  private readonly list: Op[] = [];
  private readonly start = Date.now();

  constructor() {
    this.expect("clock", { epochMs: this.start });
  }

  /** Records an invocation and returns it (pass it to `complete`). */
  invoke(process: string, f: string, value: Record<string, unknown>): Op {
    const op: Op = { index: this.list.length, process, type: "invoke", f, value, time: Date.now() - this.start };
    this.list.push(op);
    return op;
  }

  /** Records the completion of `invocation`. */
  complete(invocation: Op, type: Exclude<OpType, "invoke">, value: Record<string, unknown>): Op {
    const op: Op = {
      ...invocation,
      index: this.list.length,
      type,
      value: { ...invocation.value, ...value },
      time: Date.now() - this.start,
      invokeIndex: invocation.index,
    };
    this.list.push(op);
    return op;
  }

  /**
   * Records something the workload expects, for the checkers to hold the run to (e.g. `sold` seats): one op,
   * f "expect", so a stored history carries everything needed to judge it again.
   */
  expect(kind: string, value: Record<string, unknown>): void {
    this.list.push({ index: this.list.length, process: "gate", type: "ok", f: "expect", value: { kind, ...value }, time: Date.now() - this.start });
  }

  /** The ops so far (a copy). */
  get ops(): Op[] {
    return [...this.list];
  }

  /** One JSON object per line. */
  toJsonl(): string {
    return `${this.list.map((op) => JSON.stringify(op)).join("\n")}\n`;
  }
}

/** Parses a history written by `toJsonl`. */
export function parseHistory(jsonl: string): Op[] {
  return jsonl
    .split("\n")
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as Op);
}

/**
 * How an answer reads: a 2xx happened (ok); a 4xx, and the Worker's own 502/503 ("Payment failed"), certainly did
 * not: fail; anything else (no answer, a timeout, another 5xx) may or may not have happened: info. A checkout's
 * service always exists, so for a checkout a 404 or 429 means an ingress that is not ready (a cluster node just
 * restarted answers 404 for a service it has not caught up on): info too. For any other request a 404 is a refusal.
 */
export function outcomeOfAnswer(result: { status: number; body: string }, request: "checkout" | "other"): Exclude<OpType, "invoke"> {
  if (result.status >= 200 && result.status < 300) return "ok";
  if (request === "checkout" && (result.status === 404 || result.status === 429)) return "info";
  if (result.status >= 400 && result.status < 500) return "fail";
  if ((result.status === 502 || result.status === 503) && result.body.includes("Payment failed")) return "fail";
  return "info";
}

/** The values of the `expect` ops of `kind` in a history. */
export function expectations(ops: Op[], kind: string): Array<Record<string, unknown>> {
  return ops.filter((op) => op.f === "expect" && op.value.kind === kind).map((op) => op.value);
}

/** The wall-clock time (ms since the epoch) a history began, from its `expect clock` (an op's is this plus its `time`). */
export function epochOf(ops: Op[]): number | undefined {
  const epoch = expectations(ops, "clock")[0]?.epochMs;
  return typeof epoch === "number" ? epoch : undefined;
}
