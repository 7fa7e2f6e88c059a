import type { CallResult } from "./client.js";

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

/** Records every operation twice, when invoked and when completed, in the order it happened. */
export class History {
  private readonly list: Op[] = [];
  private readonly start = Date.now();

  /** Records an invocation and returns it (pass it to `complete`). */
  invoke(process: string, f: string, value: Record<string, unknown>): Op {
    const op: Op = { index: this.list.length, process, type: "invoke", f, value, time: Date.now() - this.start };
    this.list.push(op);
    return op;
  }

  /** Records the completion of `invocation`. */
  complete(invocation: Op, type: Exclude<OpType, "invoke">, value: Record<string, unknown>): Op {
    const op: Op = { ...invocation, index: this.list.length, type, value: { ...invocation.value, ...value }, time: Date.now() - this.start, invokeIndex: invocation.index };
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
    return this.list.map((op) => JSON.stringify(op)).join("\n") + "\n";
  }
}

/** Parses a history written by `toJsonl`. */
export function parseHistory(jsonl: string): Op[] {
  return jsonl.split("\n").filter((line) => line.trim()).map((line) => JSON.parse(line) as Op);
}

/**
 * How a checkout's answer reads: 200 ok; 400/402/409 and the Worker's own 503 ("Payment failed") certainly did not
 * book: fail; anything else (no answer, a timeout, another 5xx) may or may not have booked: info.
 */
export function outcomeOfCheckout(result: CallResult): Exclude<OpType, "invoke"> {
  if (result.status === 200) return "ok";
  if ([400, 402, 409].includes(result.status)) return "fail";
  if (result.status === 503 && result.body.includes("Payment failed")) return "fail";
  return "info";
}

/** A booking as the history tells it: every attempt under one bookingId, folded into one outcome. */
export interface Booking {
  bookingId: string;
  ticketId: string;
  userId: string;
  paymentMethodId: string;
  /** ok if any attempt was ok, else fail if any was, else info (no attempt got a definite answer). */
  outcome: Exclude<OpType, "invoke">;
  /** HTTP status of each completed attempt, in order (0: no answer). */
  statuses: number[];
  /** HTTP statuses of the attempts that got a definite answer (ok or fail). */
  definiteStatuses: number[];
  attempts: number;
}

/**
 * The checkouts of a history, one per bookingId (an invocation without a completion counts as info). A checkout sent
 * with an idempotency key and no bookingId takes the booking id a `resolve-key` op learned for that key.
 */
export function bookingsOf(ops: Op[]): Booking[] {
  const byId = new Map<string, Booking>();
  const aliases = new Map<string, string>();
  for (const op of ops) {
    if (op.f === "resolve-key" && op.type === "ok") aliases.set(String(op.value.idempotencyKey), String(op.value.bookingId));
  }
  const completed = new Set(ops.filter((op) => op.invokeIndex !== undefined).map((op) => op.invokeIndex));
  // A definite answer resolves earlier unknown ones of the same booking; ok beats fail (the checkers flag the clash).
  const rank = { info: 0, fail: 1, ok: 2 } as const;
  for (const op of ops) {
    if (op.f !== "checkout") continue;
    const v = op.value as { bookingId?: string; idempotencyKey?: string; ticketId?: string; userId?: string; paymentMethodId?: string; status?: number };
    const bookingId = v.bookingId ?? (v.idempotencyKey === undefined ? undefined : aliases.get(v.idempotencyKey));
    if (!bookingId || !v.ticketId || !v.userId) continue;
    let booking = byId.get(bookingId);
    if (!booking) {
      booking = { bookingId, ticketId: v.ticketId, userId: v.userId, paymentMethodId: v.paymentMethodId ?? "card_success", outcome: "info", statuses: [], definiteStatuses: [], attempts: 0 };
      byId.set(bookingId, booking);
    }
    const outcome = op.type === "invoke" ? (completed.has(op.index) ? undefined : "info") : op.type;
    if (op.type === "invoke") booking.attempts += 1;
    else {
      booking.statuses.push(v.status ?? 0);
      if (op.type !== "info") booking.definiteStatuses.push(v.status ?? 0);
    }
    if (outcome !== undefined && rank[outcome] > rank[booking.outcome]) booking.outcome = outcome;
  }
  return [...byId.values()];
}

/** The values of the `expect` ops of `kind` in a history. */
export function expectations(ops: Op[], kind: string): Array<Record<string, unknown>> {
  return ops.filter((op) => op.f === "expect" && op.value.kind === kind).map((op) => op.value);
}
