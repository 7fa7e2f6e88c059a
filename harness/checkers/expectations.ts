import type { TicketRecord } from "../worker/worker-description.js";
import { bookingsOf } from "../history/bookings.js";
import { expectations } from "../history/history.js";
import { Findings, type About, type Checker } from "./checker.js";

/**
 * Every definite answer (ok or fail) to an op whose invocation named an `expectStatus` had that HTTP status, and
 * every such op (by booking) got at least one definite answer. Unknown (info) attempts are judged by neither.
 */
export const expectedStatuses: Checker = {
  name: "expected-statuses",
  check(history) {
    const found = new Findings();
    const expecting = history.filter((op) => op.type !== "invoke" && op.value.expectStatus !== undefined);
    const answered = new Set<string>();
    const asked = new Map<string, { label: string; about: About }>();
    for (const op of expecting) {
      const v = op.value as { expectStatus: number; status?: number; bookingId?: string; idempotencyKey?: string; seatId?: string; ticketId?: string };
      const who = v.bookingId ?? v.idempotencyKey ?? v.seatId ?? v.ticketId ?? `op ${op.invokeIndex ?? op.index}`;
      // The op is named as `who` is: by its booking, else its key (neither a booking nor a seat), else its seat, else its index.
      const about: About = who === v.bookingId ? { bookings: [who] } : who === v.idempotencyKey ? {} : { seats: [v.seatId ?? v.ticketId] };
      asked.set(`${op.f} ${who}`, { label: `${op.f} ${who} (${op.process})`, about });
      if (op.type === "info") continue;
      answered.add(`${op.f} ${who}`);
      if (v.status !== v.expectStatus) found.add(`${op.f} ${who} (${op.process}) got HTTP ${v.status ?? "nothing"}, expected ${v.expectStatus}`, about);
    }
    for (const [key, { label, about }] of asked) if (!answered.has(key)) found.add(`${label} never got a definite answer`, about);
    return found.result({ expectations: asked.size });
  },
};

/** Every idempotency key the workload looked up (`resolve-key`) became exactly one Checkout invocation. */
export const keysResolved: Checker = {
  name: "keys-resolved",
  check(history) {
    const lookups = history.filter((op) => op.f === "resolve-key" && op.type !== "invoke");
    const found = new Findings();
    // A key that did not become exactly one invocation names no one booking (nor a seat).
    for (const op of lookups)
      if (op.type !== "ok") found.add(`idempotency key ${String(op.value.idempotencyKey)} became ${String(op.value.found)} invocations, expected 1`);
    return found.result({ keys: lookups.length });
  },
};

/**
 * Every definite answer (ok or fail) to one booking's request was the same, body included: a retry returns the first
 * result. A sale the demo voided (Booking.voided) has two: its confirmation, then its refusal (ended-stays-ended
 * judges their order).
 */
export const sameAnswerOnRetry: Checker = {
  name: "same-answer-on-retry",
  check(history, state) {
    const found = new Findings();
    const bookings = bookingsOf(history, state.tickets);
    for (const booking of bookings) {
      const definite = booking.answers.filter((a) => a.type !== "info");
      for (const phase of booking.voided ? [definite.filter((a) => a.status === 200), definite.filter((a) => a.status !== 200)] : [definite]) {
        const answers = new Set(phase.map((a) => `${a.status} ${a.body}`));
        if (answers.size > 1) found.add(`booking ${booking.bookingId} got different answers: ${[...answers].join(" / ")}`, { bookings: [booking.bookingId] });
      }
    }
    return found.result({ bookings: bookings.length });
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
    const found = new Findings();
    const observed = history.filter((op) => op.f === "observe" && op.type !== "invoke");
    for (const op of observed) {
      const o = op.value as unknown as Observation;
      if (o.expect.ticket !== undefined && o.ticket !== o.expect.ticket)
        found.add(`${o.note}: seat ${o.seatId} was ${o.ticket}, expected ${o.expect.ticket}`, { seats: [o.seatId] });
      if (o.expect.map !== undefined && o.map !== o.expect.map)
        found.add(`${o.note}: the SeatMap showed seat ${o.seatId} as ${o.map}, expected ${o.expect.map}`, { seats: [o.seatId] });
    }
    return found.result({ observations: observed.length });
  },
};

/** Each seat the workload expects sold (`expect sold {seats}`) ends SOLD: when every client pays, every contested seat sells. */
export const seatsSold: Checker = {
  name: "seats-sold",
  check(history, state) {
    const seats = expectations(history, "sold").flatMap((e) => e.seats as string[]);
    const found = new Findings();
    for (const id of seats)
      if (state.tickets[id]?.status !== "SOLD") found.add(`seat ${id} ended ${state.tickets[id]?.status ?? "AVAILABLE"}, expected SOLD`, { seats: [id] });
    return found.result({ seats: seats.length });
  },
};

/** Each `expect charge-attempts {bookingId, min, max}`: the gateway saw that many attempts (retries, not replays) of the booking. */
export const chargeAttempts: Checker = {
  name: "charge-attempts",
  check(history, state) {
    const found = new Findings();
    const expected = expectations(history, "charge-attempts") as Array<{ bookingId: string; min: number; max: number }>;
    for (const { bookingId, min, max } of expected) {
      const n = state.ledger.filter((e) => e.kind === "charge" && e.bookingId === bookingId && !e.replay).length;
      if (n < min || n > max) found.add(`booking ${bookingId} reached the gateway ${n} times, expected ${min} to ${max}`, { bookings: [bookingId] });
    }
    return found.result({ expectations: expected.length });
  },
};

/** A snapshot of everything a request could change: tickets, the SeatMap view, and the ledger's length. */
export interface Snapshot {
  tickets: Record<string, TicketRecord>;
  seatMap: Record<string, string> | null;
  ledgerLength: number;
}

/** Raw requests (`f: "raw"`) all got a 4xx, and the `snapshot` observed before them equals the final state. */
export const rejectedWithoutChange: Checker = {
  name: "rejected-without-change",
  check(history, state) {
    const found = new Findings();
    const raws = history.filter((op) => op.f === "raw" && op.type !== "invoke");
    // A raw request is named by its description (its path may hold a seat id, or none, or a malformed one): no ids.
    for (const op of raws) {
      const v = op.value as { name?: string; status?: number; body?: string; expectStatus?: number; expectBody?: string };
      const answer = `${v.name}: HTTP ${v.status ?? "none"} ${String(v.body).slice(0, 120)}`;
      if (!(v.status !== undefined && v.status >= 400 && v.status < 500)) found.add(`${answer}, expected a 4xx`);
      else if (v.expectStatus !== undefined && v.status !== v.expectStatus) found.add(`${answer}, expected ${v.expectStatus}`);
      else if (v.expectBody !== undefined && !String(v.body).includes(v.expectBody)) found.add(`${answer}, expected the answer to say "${v.expectBody}"`);
    }
    // The first snapshot is the state before any hostile request; every later one (taken between batches) and the
    // final state must equal it.
    const snapshots = history.filter((op) => op.f === "snapshot" && op.type === "ok").map((op) => ({ at: op.index, value: op.value as unknown as Snapshot }));
    const before = snapshots[0]?.value;
    if (!before) found.add("no snapshot was taken before the requests");
    else {
      const after: Snapshot = { tickets: state.tickets, seatMap: state.seatMap, ledgerLength: state.ledger.length };
      const laterOnes = [...snapshots.slice(1).map((s) => ({ what: `the snapshot at op ${s.at}`, value: s.value })), { what: "the final state", value: after }];
      for (const { what, value } of laterOnes) {
        const changed = changedParts(before, value);
        for (const part of changed) {
          found.add(
            `${part} changed by ${what}: before ${JSON.stringify(before[part]).slice(0, 300)}, after ${JSON.stringify(value[part]).slice(0, 300)}`,
            changeAbout(part, before, value, state.ledger),
          );
        }
        if (changed.length > 0) break;
      }
    }
    return found.result({ requests: raws.length });
  },
};

/**
 * What a changed part is about: the seats whose ticket (or SeatMap entry) differs between `a` and `b`, or for the
 * ledger's length the entries written between them (the ledger only grows, so they follow `a`'s length in `ledger`).
 */
function changeAbout(part: keyof Snapshot, a: Snapshot, b: Snapshot, ledger: Array<{ seq: number }>): About {
  if (part === "ledgerLength") return { ledger: ledger.slice(a.ledgerLength, Math.max(a.ledgerLength, b.ledgerLength)).map((e) => e.seq) };
  const before: Record<string, unknown> = a[part] ?? {};
  const after: Record<string, unknown> = b[part] ?? {};
  const seats = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  return { seats: seats.filter((seat) => JSON.stringify(sortKeys(before[seat])) !== JSON.stringify(sortKeys(after[seat]))) };
}

/** The parts of a snapshot that differ between `a` and `b` (objects compared whatever their key order). */
function changedParts(a: Snapshot, b: Snapshot): Array<keyof Snapshot> {
  return (["tickets", "seatMap", "ledgerLength"] as const).filter((part) => JSON.stringify(sortKeys(a[part])) !== JSON.stringify(sortKeys(b[part])));
}

function sortKeys(value: unknown): unknown {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return value;
  return Object.fromEntries(
    Object.entries(value)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]) => [k, sortKeys(v)]),
  );
}
