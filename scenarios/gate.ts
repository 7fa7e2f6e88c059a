import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { querySql } from "../harness/admin.js";
import { runCheckers, type CheckResult, type Checker, type Verdict } from "../harness/checkers/checker.js";
import type { CheckoutInput } from "../harness/client.js";
import { readFinalState, readSeatMap, readTickets, type FinalState } from "../harness/final-state.js";
import { History, outcomeOfCheckout, type Op } from "../harness/history.js";
import type { Stack } from "../harness/stack.js";
import { waitFor } from "../harness/wait.js";

/** What a gate's workload gets: the stack, the history to record into, and a seat-id prefix unique to this run. */
export interface GateContext {
  stack: Stack;
  history: History;
  /** Prefix every seat id with this: gates never see each other's seats. */
  prefix: string;
  /** Progress for the person watching. */
  log: (message: string) => void;
}

/** A correctness gate: a workload, and the checkers that judge its history and the final state. */
export interface Gate {
  name: string;
  /** One line: what it proves. */
  title: string;
  /** Worker environment this gate needs on top of the harness defaults (gates with the same needs share nothing anyway). */
  workerEnv?: Record<string, string>;
  /** Runs the workload and returns the checkers that judge it. */
  run(context: GateContext): Promise<Checker[]>;
}

/** A gate's result: the merged verdict, each checker's result, and what they judged. */
export interface GateOutcome {
  gate: string;
  title: string;
  valid: Verdict;
  results: CheckResult[];
  history: Op[];
  finalState: FinalState;
  durationMs: number;
  dir: string;
}

/** Quiet means no invocation of the system is still queued, running, suspended or retrying (delayed sends excluded). */
const BUSY = "status IN ('pending', 'ready', 'running', 'suspended', 'backing-off', 'paused')";

/** Waits until Restate has no busy invocation; returns those still busy after `timeoutMs` (empty when quiet). */
export async function waitQuiet(adminUrl: string, timeoutMs = 30_000): Promise<string[]> {
  const busy = () => querySql<{ id: string; target: string; status: string }>(adminUrl, `SELECT id, target, status FROM sys_invocation WHERE ${BUSY} LIMIT 20`);
  try {
    await waitFor(async () => (await busy()).length === 0, { timeoutMs, intervalMs: 100, what: "Restate to go quiet" });
    return [];
  } catch {
    return (await busy()).map((row) => `${row.target} ${row.id} ${row.status}`);
  }
}

/** A checker that fails with the invocations left busy, so a gate whose system never went quiet cannot pass. */
function quietness(busy: string[]): Checker {
  return {
    name: "quiescence",
    check: () => ({ valid: busy.length === 0, problems: busy.map((b) => `still busy after the workload: ${b}`), stats: { busy: busy.length } }),
  };
}

/** Runs one gate on a running stack, stores its history, final state and results under `<runDir>/<gate>/`. */
export async function runGate(gate: Gate, stack: Stack, log: (message: string) => void = () => undefined): Promise<GateOutcome> {
  const started = Date.now();
  const history = new History();
  const prefix = `${gate.name}-${Math.random().toString(36).slice(2, 7)}-`;
  const checkers = await gate.run({ stack, history, prefix, log });
  const busy = await waitQuiet(stack.restate.adminUrl);
  const finalState = await readFinalState(stack.restate.adminUrl, stack.gateway.entries(), prefix);
  const { valid, results } = runCheckers([quietness(busy), ...checkers], history.ops, finalState);
  const dir = join(stack.runDir, gate.name);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, "history.jsonl"), history.toJsonl());
  await writeFile(join(dir, "final-state.json"), JSON.stringify(finalState, null, 2));
  await writeFile(join(dir, "results.json"), JSON.stringify({ gate: gate.name, valid, results }, null, 2));
  return { gate: gate.name, title: gate.title, valid, results, history: history.ops, finalState, durationMs: Date.now() - started, dir };
}

/** One checkout by `process`, recorded in the history (never throws). */
export async function recordCheckout(context: GateContext, process: string, input: CheckoutInput, options: { idempotencyKey?: string } = {}): Promise<Op> {
  const invocation = context.history.invoke(process, "checkout", { ...input, idempotencyKey: options.idempotencyKey });
  const result = await context.stack.client.checkout(input, { idempotencyKey: options.idempotencyKey });
  return context.history.complete(invocation, outcomeOfCheckout(result), { status: result.status, body: result.body, error: result.error });
}

/** Learns from Restate (admin SQL) which invocation, and so which booking, an idempotency key became; records it. */
export async function resolveIdempotencyKey(context: GateContext, key: string): Promise<void> {
  const op = context.history.invoke("observer", "resolve-key", { idempotencyKey: key });
  const rows = await querySql<{ id: string }>(
    context.stack.restate.adminUrl,
    `SELECT id FROM sys_invocation WHERE idempotency_key = '${key.replace(/'/g, "''")}' AND target_service_name = 'Checkout'`,
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

/**
 * Records what Restate holds for a seat (ticket and SeatMap, by admin SQL), waiting up to `timeoutMs` for it to
 * match `expect` (the view trails the tickets); the observation is recorded whether or not it matched.
 */
export async function observeSeat(
  context: GateContext,
  seatId: string,
  expect: { ticket?: string; map?: string },
  note: string,
  timeoutMs = 15_000,
): Promise<void> {
  const admin = context.stack.restate.adminUrl;
  const invocation = context.history.invoke("observer", "observe", { seatId });
  const read = async () => ({
    ticket: (await readTickets(admin, seatId))[seatId]?.status ?? "AVAILABLE",
    map: (await readSeatMap(admin, seatId))[seatId] ?? "AVAILABLE",
  });
  const matches = (s: { ticket: string; map: string }) =>
    (expect.ticket === undefined || s.ticket === expect.ticket) && (expect.map === undefined || s.map === expect.map);
  let seen = await read();
  try {
    seen = await waitFor(async () => {
      const s = await read();
      seen = s;
      return matches(s) ? s : undefined;
    }, { timeoutMs, intervalMs: 100, what: `seat ${seatId} to be ${JSON.stringify(expect)}` });
  } catch {
    // Recorded as seen; the observations checker reports the mismatch.
  }
  context.history.complete(invocation, "ok", { ...seen, expect, note });
}
