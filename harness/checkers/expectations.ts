import type { TicketRecord } from "../final-state.js";
import { bookingsOf } from "../bookings.js";
import { expectations } from "../history.js";
import { verdictOf, type Checker } from "./checker.js";

/**
 * Every definite answer (ok or fail) to an op whose invocation named an `expectStatus` had that HTTP status, and
 * every such op (by booking) got at least one definite answer. Unknown (info) attempts are judged by neither.
 */
export const expectedStatuses: Checker = {
  name: "expected-statuses",
  check(history) {
    const problems: string[] = [];
    const expecting = history.filter((op) => op.type !== "invoke" && op.value.expectStatus !== undefined);
    const answered = new Set<string>();
    const asked = new Map<string, string>();
    for (const op of expecting) {
      const v = op.value as { expectStatus: number; status?: number; bookingId?: string; idempotencyKey?: string; seatId?: string; ticketId?: string };
      const who = v.bookingId ?? v.idempotencyKey ?? v.seatId ?? v.ticketId ?? `op ${op.invokeIndex ?? op.index}`;
      asked.set(`${op.f} ${who}`, `${op.f} ${who} (${op.process})`);
      if (op.type === "info") continue;
      answered.add(`${op.f} ${who}`);
      if (v.status !== v.expectStatus) problems.push(`${op.f} ${who} (${op.process}) got HTTP ${v.status ?? "nothing"}, expected ${v.expectStatus}`);
    }
    for (const [key, label] of asked) if (!answered.has(key)) problems.push(`${label} never got a definite answer`);
    return { valid: verdictOf(problems), problems, stats: { expectations: asked.size } };
  },
};

/** Every idempotency key the workload looked up (`resolve-key`) became exactly one Checkout invocation. */
export const keysResolved: Checker = {
  name: "keys-resolved",
  check(history) {
    const lookups = history.filter((op) => op.f === "resolve-key" && op.type !== "invoke");
    const problems = lookups.filter((op) => op.type !== "ok").map((op) => `idempotency key ${String(op.value.idempotencyKey)} became ${String(op.value.found)} invocations, expected 1`);
    return { valid: verdictOf(problems), problems, stats: { keys: lookups.length } };
  },
};

/** Every definite answer (ok or fail) to one booking's request was the same, body included: a retry returns the first result. */
export const sameAnswerOnRetry: Checker = {
  name: "same-answer-on-retry",
  check(history) {
    const problems: string[] = [];
    const bookings = bookingsOf(history);
    for (const booking of bookings) {
      const answers = new Set(booking.answers.filter((a) => a.type !== "info").map((a) => `${a.status} ${a.body}`));
      if (answers.size > 1) problems.push(`booking ${booking.bookingId} got different answers: ${[...answers].join(" / ")}`);
    }
    return { valid: verdictOf(problems), problems, stats: { bookings: bookings.length } };
  },
};

/** An observation recorded mid-run: a seat's state as Restate held it, and what the gate expected then. */
export interface Observation {
  seatId: string;
  ticket: string;
  map: string;
  expect: { ticket?: string; map?: string };
  note: string;
}

/** Every `observe` op in the history saw what it expected. */
export const observationsHold: Checker = {
  name: "observations",
  check(history) {
    const problems: string[] = [];
    const observed = history.filter((op) => op.f === "observe" && op.type !== "invoke");
    for (const op of observed) {
      const o = op.value as unknown as Observation;
      if (o.expect.ticket !== undefined && o.ticket !== o.expect.ticket) problems.push(`${o.note}: seat ${o.seatId} was ${o.ticket}, expected ${o.expect.ticket}`);
      if (o.expect.map !== undefined && o.map !== o.expect.map) problems.push(`${o.note}: the SeatMap showed seat ${o.seatId} as ${o.map}, expected ${o.expect.map}`);
    }
    return { valid: verdictOf(problems), problems, stats: { observations: observed.length } };
  },
};

/** Each seat the workload expects sold (`expect sold {seats}`) ends SOLD: when every client pays, every contested seat sells. */
export const seatsSold: Checker = {
  name: "seats-sold",
  check(history, state) {
    const seats = expectations(history, "sold").flatMap((e) => e.seats as string[]);
    const unsold = seats.filter((id) => state.tickets[id]?.status !== "SOLD");
    const problems = unsold.map((id) => `seat ${id} ended ${state.tickets[id]?.status ?? "AVAILABLE"}, expected SOLD`);
    return { valid: verdictOf(problems), problems, stats: { seats: seats.length } };
  },
};

/** Each `expect charge-attempts {bookingId, min, max}`: the gateway saw that many attempts (retries, not replays) of the booking. */
export const chargeAttempts: Checker = {
  name: "charge-attempts",
  check(history, state) {
    const problems: string[] = [];
    const expected = expectations(history, "charge-attempts") as Array<{ bookingId: string; min: number; max: number }>;
    for (const { bookingId, min, max } of expected) {
      const n = state.ledger.filter((e) => e.kind === "charge" && e.bookingId === bookingId && !e.replay).length;
      if (n < min || n > max) problems.push(`booking ${bookingId} reached the gateway ${n} times, expected ${min} to ${max}`);
    }
    return { valid: verdictOf(problems), problems, stats: { expectations: expected.length } };
  },
};

/** A snapshot of everything a request could change: tickets, the SeatMap view, and the ledger's length. */
export interface Snapshot {
  tickets: Record<string, TicketRecord>;
  seatMap: Record<string, string>;
  ledgerLength: number;
}

/** Raw requests (`f: "raw"`) all got a 4xx, and the `snapshot` observed before them equals the final state. */
export const rejectedWithoutChange: Checker = {
  name: "rejected-without-change",
  check(history, state) {
    const problems: string[] = [];
    const raws = history.filter((op) => op.f === "raw" && op.type !== "invoke");
    for (const op of raws) {
      const v = op.value as { name?: string; status?: number; body?: string; expectStatus?: number; expectBody?: string };
      const answer = `${v.name}: HTTP ${v.status ?? "none"} ${String(v.body).slice(0, 120)}`;
      if (!(v.status !== undefined && v.status >= 400 && v.status < 500)) problems.push(`${answer}, expected a 4xx`);
      else if (v.expectStatus !== undefined && v.status !== v.expectStatus) problems.push(`${answer}, expected ${v.expectStatus}`);
      else if (v.expectBody !== undefined && !String(v.body).includes(v.expectBody)) problems.push(`${answer}, expected the answer to say "${v.expectBody}"`);
    }
    // The first snapshot is the state before any hostile request; every later one (taken between batches) and the
    // final state must equal it.
    const snapshots = history.filter((op) => op.f === "snapshot" && op.type === "ok").map((op) => ({ at: op.index, value: op.value as unknown as Snapshot }));
    const before = snapshots[0]?.value;
    if (!before) problems.push("no snapshot was taken before the requests");
    else {
      const after: Snapshot = { tickets: state.tickets, seatMap: state.seatMap, ledgerLength: state.ledger.length };
      const laterOnes = [...snapshots.slice(1).map((s) => ({ what: `the snapshot at op ${s.at}`, value: s.value })), { what: "the final state", value: after }];
      for (const { what, value } of laterOnes) {
        const changed = changedParts(before, value);
        for (const part of changed) {
          problems.push(`${part} changed by ${what}: before ${JSON.stringify(before[part]).slice(0, 300)}, after ${JSON.stringify(value[part]).slice(0, 300)}`);
        }
        if (changed.length > 0) break;
      }
    }
    return { valid: verdictOf(problems), problems, stats: { requests: raws.length } };
  },
};

/** The parts of a snapshot that differ between `a` and `b` (objects compared whatever their key order). */
function changedParts(a: Snapshot, b: Snapshot): Array<keyof Snapshot> {
  return (["tickets", "seatMap", "ledgerLength"] as const).filter((part) => JSON.stringify(sortKeys(a[part])) !== JSON.stringify(sortKeys(b[part])));
}

function sortKeys(value: unknown): unknown {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, sortKeys(v)]));
}
