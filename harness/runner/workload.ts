import { querySql, sqlText } from "../restate/admin.js";
import type { CheckoutInput } from "../restate/client.js";
import type { Snapshot } from "../checkers/expectations.js";
import { readFinalState, readSeatMapView, readSeats, waitQuiet } from "../restate/state-reads.js";
import { outcomeOfAnswer, type Op } from "../history/history.js";
import { delay, waitFor } from "../system/wait.js";
import { WorkloadStopped, type GateContext } from "./gate.js";

// What a gate's workload does, each step recorded in the history: checkouts, raw requests, faults, observations.

/** One checkout by `process`, recorded in the history with what it expects (never throws). */
export async function recordCheckout(
  context: GateContext,
  process: string,
  input: CheckoutInput,
  options: { idempotencyKey?: string; expectStatus?: number; timeoutMs?: number } = {},
): Promise<Op> {
  const invocation = context.history.invoke(process, "checkout", { ...input, idempotencyKey: options.idempotencyKey, expectStatus: options.expectStatus });
  const result = await context.stack.client.checkout(input, { idempotencyKey: options.idempotencyKey, timeoutMs: options.timeoutMs });
  return context.history.complete(invocation, outcomeOfAnswer(result, "checkout"), { status: result.status, body: result.body, error: result.error });
}

/**
 * Applies a fault, recorded in the history as a nemesis op (f = the fault): invoked before, completed ok with what
 * `action` reports (`targets`: how many bookings or processes it hit, and any details), or fail if it threw.
 */
export async function nemesis(
  context: GateContext,
  fault: string,
  value: Record<string, unknown>,
  action: () => Promise<{ targets: number } & Record<string, unknown>>,
): Promise<void> {
  const invocation = context.history.invoke("nemesis", fault, { fault, ...value });
  const started = Date.now();
  try {
    const result = await action();
    context.history.complete(invocation, "ok", { ...result, tookMs: Date.now() - started });
  } catch (error) {
    context.history.complete(invocation, "fail", { error: (error as Error).message });
    throw error;
  }
}

/**
 * A client that retries: checks out until a definite answer (ok or fail), retrying an unknown one (no answer, a
 * timeout, an unexpected status) with the same bookingId (and idempotency key, if given) after a seeded pause and,
 * when given, once `beforeRetry` resolved (e.g. Restate answers again after a restart). Every attempt is recorded.
 * Returns the last completion.
 */
export async function checkoutUntilDefinite(
  context: GateContext,
  process: string,
  input: CheckoutInput & { bookingId: string },
  options: { idempotencyKey?: string; expectStatus?: number; timeoutMs?: number; maxAttempts?: number; beforeRetry?: () => Promise<void> } = {},
): Promise<Op> {
  const maxAttempts = options.maxAttempts ?? 30;
  for (let attempt = 1; ; attempt++) {
    const done = await recordCheckout(context, process, input, options);
    if (done.type !== "info" || attempt >= maxAttempts) return done;
    await options.beforeRetry?.();
    await delay(context.random.int(100, 300) * Math.min(attempt, 5));
  }
}

/** Bookings in blocks: each block of `block` bookings races for `seatsPerBlock` fresh seats, `inFlight` at a time. */
export interface BlockShape {
  minBookings: number;
  block: number;
  seatsPerBlock: number;
  inFlight: number;
  /** Share of the contenders for each block's last seat who pay with a declined card (that seat alone may stay unsold). */
  declineShare: number;
}

/**
 * Books in blocks (see BlockShape) while `busy()` is true and until at least `minBookings` were made, each booking
 * retried until definite with its id as idempotency key. Records, as `expect sold`, every seat of a full block that
 * had only paying contenders (each must have sold). Returns how many bookings were made and over how many seats.
 */
export async function bookInBlocks(
  context: GateContext,
  shape: BlockShape,
  busy: () => boolean,
  attempts: { timeoutMs: number; maxAttempts?: number },
): Promise<{ bookings: number; seats: number }> {
  const { prefix, random, history } = context;
  const { minBookings, block, seatsPerBlock, inFlight, declineShare } = shape;
  const seatIndex = (n: number) => Math.floor(n / block) * seatsPerBlock + (n % seatsPerBlock);
  const declineSeat = (index: number) => index % seatsPerBlock === seatsPerBlock - 1;
  let launched = 0;
  const lane = async (laneId: number) => {
    while (launched < minBookings || busy()) {
      const n = launched++;
      const bookingId = `${prefix}b${n}`;
      const card = declineSeat(seatIndex(n)) && random.int(1, 100) <= declineShare * 100 ? "card_decline" : "card_success";
      const input = { ticketId: `${prefix}s${seatIndex(n)}`, userId: `u${n}`, paymentMethodId: card, bookingId };
      await checkoutUntilDefinite(context, `lane-${laneId}`, input, { idempotencyKey: bookingId, ...attempts });
    }
  };
  await Promise.all(Array.from({ length: inFlight }, (_, i) => lane(i)));
  const fullBlockSeats = Array.from({ length: Math.floor(launched / block) * seatsPerBlock }, (_, i) => i);
  history.expect("sold", { seats: fullBlockSeats.filter((i) => !declineSeat(i)).map((i) => `${prefix}s${i}`) });
  return { bookings: launched, seats: Math.ceil(launched / block) * seatsPerBlock };
}

/** A raw request to the ingress (`path` like `/Ticket/s1/reserve`), recorded as op `f`: fail on a 4xx, ok on a 2xx, info otherwise. */
export async function recordRaw(
  context: GateContext,
  process: string,
  f: string,
  request: {
    path: string;
    body?: string;
    contentType?: string;
    expectStatus?: number;
    expectBody?: string;
    seatId?: string;
    name?: string;
    headers?: Record<string, string>;
  },
): Promise<Op> {
  const { body, contentType, headers: extra, ...recorded } = request;
  const invocation = context.history.invoke(process, f, recorded);
  const headers: Record<string, string> = { ...(body === undefined ? {} : { "content-type": contentType ?? "application/json" }), ...extra };
  const result = await context.stack.client.post(request.path, body, headers);
  return context.history.complete(invocation, outcomeOfAnswer(result, "other"), {
    status: result.status,
    body: result.body.slice(0, 500),
    error: result.error,
  });
}

/** Learns from Restate (admin SQL) which invocation, and so which booking, an idempotency key became; records it. */
export async function resolveIdempotencyKey(context: GateContext, key: string): Promise<void> {
  const op = context.history.invoke("observer", "resolve-key", { idempotencyKey: key });
  const rows = await querySql<{ id: string }>(
    context.stack.restate.adminUrl,
    `SELECT id FROM sys_invocation WHERE idempotency_key = ${sqlText(key)} AND target_service_name = 'Checkout'`,
  );
  if (rows.length === 1) context.history.complete(op, "ok", { bookingId: rows[0]!.id });
  else context.history.complete(op, "fail", { found: rows.length });
}

/** Runs `tasks` with at most `limit` in flight. */
export async function inParallel<T>(tasks: Array<() => Promise<T>>, limit: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, tasks.length) }, async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]!();
    }
  });
  await Promise.all(lanes);
  return results;
}

/** Waits (up to `timeoutMs`) until no bare hold of `userId` (one taken through the demo API) is left on seat `seatId`. */
export async function waitBareHoldEnded(context: GateContext, seatId: string, userId: string, timeoutMs = 15_000): Promise<void> {
  const { restate, description } = context.stack;
  await waitFor(
    async () => {
      const seat = (await readSeats(restate.adminUrl, description, seatId))[seatId];
      return seat?.status !== "RESERVED" || seat.reservedBy !== userId || seat.bookingId !== null;
    },
    { timeoutMs, intervalMs: 100, what: `${userId}'s hold on seat ${seatId} to end` },
  );
}

/**
 * Records what Restate holds for a seat (ticket and SeatMap, by admin SQL), waiting up to `timeoutMs` for it to
 * match `expect` (the view trails the tickets); the observation is recorded whether or not it matched, and a
 * mismatch then throws WorkloadStopped when the run bails.
 */
export async function observeSeat(
  context: GateContext,
  seatId: string,
  expect: { ticket?: string; map?: string },
  note: string,
  timeoutMs = 15_000,
): Promise<void> {
  const { restate, description } = context.stack;
  const admin = restate.adminUrl;
  const invocation = context.history.invoke("observer", "observe", { seatId });
  // A Worker without a SeatMap view is observed by its seats alone: the view reads null and is not expected.
  const viewed = description.capabilities.seatMapView;
  const read = async () => ({
    ticket: (await readSeats(admin, description, seatId))[seatId]?.status ?? "AVAILABLE",
    map: viewed ? ((await readSeatMapView(admin, description, seatId))?.[seatId] ?? "AVAILABLE") : null,
  });
  if (!viewed) delete expect.map;
  const matches = (s: { ticket: string; map: string | null }) =>
    (expect.ticket === undefined || s.ticket === expect.ticket) && (expect.map === undefined || s.map === expect.map);
  let seen = await read();
  try {
    seen = await waitFor(
      async () => {
        const s = await read();
        seen = s;
        return matches(s) ? s : undefined;
      },
      { timeoutMs, intervalMs: 100, what: `seat ${seatId} to be ${JSON.stringify(expect)}` },
    );
  } catch {
    // Recorded as seen; the observations checker reports the mismatch.
  }
  context.history.complete(invocation, "ok", { ...seen, expect, note });
  if (context.bail && !matches(seen)) throw new WorkloadStopped(`${note}: seat ${seatId}`);
}

/**
 * A request straight to the Worker (`path` like `/invoke/Ticket/reserve` or `/api/mock-payment`), bypassing Restate;
 * recorded as op `f` like `recordRaw`.
 */
export async function recordDirect(
  context: GateContext,
  process: string,
  f: string,
  request: { path: string; method?: string; body?: string; headers?: Record<string, string>; expectStatus?: number; expectBody?: string; name?: string },
): Promise<Op> {
  const { body, headers, method, ...recorded } = request;
  const invocation = context.history.invoke(process, f, { ...recorded, method: method ?? "POST", direct: true });
  try {
    const response = await fetch(`${context.stack.worker.url}${request.path}`, {
      method: method ?? "POST",
      headers,
      body,
      signal: AbortSignal.timeout(30_000),
    });
    const text = await response.text();
    return context.history.complete(invocation, outcomeOfAnswer({ status: response.status, body: text }, "other"), {
      status: response.status,
      body: text.slice(0, 500),
    });
  } catch (error) {
    return context.history.complete(invocation, "info", { error: (error as Error).message });
  }
}

/** Records the run's tickets, view and ledger length once Restate is quiet (op "snapshot"): what hostile requests must leave as it is. */
export async function recordSnapshot(context: GateContext): Promise<void> {
  const { stack, prefix, history } = context;
  const op = history.invoke("observer", "snapshot", {});
  await waitQuiet(stack.restate.adminUrl);
  const state = await readFinalState(stack.restate.adminUrl, stack.description, stack.gateway.entries(), prefix);
  const snapshot: Snapshot = { tickets: state.tickets, seatMap: state.seatMap, ledgerLength: state.ledger.length };
  history.complete(op, "ok", { ...snapshot });
}
