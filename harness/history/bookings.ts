import type { Op, OpType } from "./history.js";
import { freesOfSeat, seatFreesOf, type SeatFree } from "./seat-frees.js";

/** What a booking was asked for: a seat, a user and a card. */
export interface BookingRequest {
  ticketId: string;
  userId: string;
  paymentMethodId: string;
}

/** One answer a checkout got: its HTTP status, body, when it came and when its request was sent (ms since the history began). */
export interface Answer {
  status: number;
  body: string;
  time: number;
  invokedAt: number;
  /** The history's order: the index of this answer's op, and of the op that sent its request. */
  index: number;
  invokeIndex: number;
  type: Exclude<OpType, "invoke">;
  /** The idempotency key its request was sent with, if any (Restate answers a key it has seen complete with that answer again). */
  idempotencyKey: string | undefined;
}

/** Every attempt with one request under one booking id, folded into one outcome. */
export interface Attempts extends BookingRequest {
  /** ok if any attempt was ok, else fail if any was, else info (no attempt got a definite answer). */
  outcome: Exclude<OpType, "invoke">;
  /** HTTP status of each completed attempt, in order (0: no answer). */
  statuses: number[];
  /** HTTP statuses of the attempts that got a definite answer (ok or fail). */
  definiteStatuses: number[];
  /** Every completion, in order. */
  answers: Answer[];
  attempts: number;
  /** When the first attempt was invoked (ms since the history began). */
  firstInvokedAt: number;
}

/**
 * A booking as the history tells it: the request its id is bound to, and its attempts. A booking id is bound to one
 * request; attempts under the same id with another seat, user or card are `others` (the Worker must refuse them).
 */
export interface Booking extends Attempts {
  bookingId: string;
  others: Attempts[];
  /**
   * Set when the demo voided the booking's sale: it was confirmed, a demo request that frees its seat was sent after it
   * began, and the seat is not SOLD to it once quiet. Its outcome is then fail: it must keep no money. `freedAt` is the
   * history index of the answer to the first such request sent after the booking's first confirmation (from there on,
   * it must be refused); undefined when every such request overlapped the booking's requests.
   */
  voided?: { freedAt: number | undefined };
}

/** The seats as the final state holds them: which booking each is SOLD to. */
export type SoldTo = Record<string, { status: string; bookingId: string | null }>;

/** The request a checkout op names (the card defaults to card_success, as the Worker's does). */
function requestOf(op: Op): BookingRequest | undefined {
  const v = op.value as { ticketId?: string; userId?: string; paymentMethodId?: string };
  if (!v.ticketId || !v.userId) return undefined;
  return { ticketId: v.ticketId, userId: v.userId, paymentMethodId: v.paymentMethodId ?? "card_success" };
}

/** The HTTP status with which the Worker refuses a booking id reused for another request. */
export const OTHER_REQUEST_STATUS = 422;

/** The attempts a booking id is bound to: the first request with a definite answer other than 422, else the first without a 422. */
function bound(groups: Attempts[]): Attempts {
  return (
    groups.find((g) => g.definiteStatuses.some((s) => s !== OTHER_REQUEST_STATUS)) ??
    groups.find((g) => !g.statuses.includes(OTHER_REQUEST_STATUS)) ??
    groups[0]!
  );
}

/** `booking` with its void settled (see Booking.voided), given the demo's frees and the final state's seats. */
function settleVoid(booking: Booking, frees: SeatFree[], tickets: SoldTo): Booking {
  const seat = tickets[booking.ticketId];
  if (booking.outcome !== "ok" || (seat?.status === "SOLD" && seat.bookingId === booking.bookingId)) return booking;
  const ofSeat = freesOfSeat(frees, booking.ticketId, booking.firstInvokedAt);
  if (ofSeat.length === 0) return booking;
  const confirmedAt = Math.min(...booking.answers.filter((a) => a.type === "ok").map((a) => a.index));
  const freedAt = ofSeat.find((f) => f.invokeIndex > confirmedAt && f.doneIndex !== undefined)?.doneIndex;
  return { ...booking, outcome: "fail", voided: { freedAt } };
}

/**
 * The checkouts of a history, one per booking id (an invocation without a completion counts as info). A checkout sent
 * with an idempotency key and no bookingId takes the booking id a `resolve-key` op learned for that key. Given the
 * final state's seats, a confirmed booking whose sale the demo freed is settled as voided (Booking.voided).
 */
export function bookingsOf(ops: Op[], tickets?: SoldTo): Booking[] {
  const aliases = new Map<string, string>();
  for (const op of ops) {
    if (op.f === "resolve-key" && op.type === "ok") aliases.set(String(op.value.idempotencyKey), String(op.value.bookingId));
  }
  const completed = new Set(ops.filter((op) => op.invokeIndex !== undefined).map((op) => op.invokeIndex));
  const invokedAt = new Map(ops.filter((op) => op.type === "invoke").map((op) => [op.index, op.time]));
  const byId = new Map<string, Map<string, Attempts>>();
  // A definite answer resolves earlier unknown ones of the same request; ok beats fail (the checkers flag the clash).
  const rank = { info: 0, fail: 1, ok: 2 } as const;
  for (const op of ops) {
    if (op.f !== "checkout") continue;
    const v = op.value as { bookingId?: string; idempotencyKey?: string; status?: number; body?: string };
    const bookingId = v.bookingId ?? (v.idempotencyKey === undefined ? undefined : aliases.get(v.idempotencyKey));
    const request = requestOf(op);
    if (!bookingId || !request) continue;
    const groups = byId.get(bookingId) ?? new Map<string, Attempts>();
    byId.set(bookingId, groups);
    const key = JSON.stringify([request.ticketId, request.userId, request.paymentMethodId]);
    let group = groups.get(key);
    if (!group) {
      group = { ...request, outcome: "info", statuses: [], definiteStatuses: [], answers: [], attempts: 0, firstInvokedAt: op.time };
      groups.set(key, group);
    }
    const outcome = op.type === "invoke" ? (completed.has(op.index) ? undefined : "info") : op.type;
    if (op.type === "invoke") group.attempts += 1;
    else {
      group.statuses.push(v.status ?? 0);
      const invokeIndex = op.invokeIndex ?? op.index;
      group.answers.push({
        status: v.status ?? 0,
        body: String(v.body ?? ""),
        time: op.time,
        invokedAt: invokedAt.get(invokeIndex) ?? op.time,
        index: op.index,
        invokeIndex,
        type: op.type,
        idempotencyKey: v.idempotencyKey,
      });
      if (op.type !== "info") group.definiteStatuses.push(v.status ?? 0);
    }
    if (outcome !== undefined && rank[outcome] > rank[group.outcome]) group.outcome = outcome;
  }
  const frees = tickets === undefined ? [] : seatFreesOf(ops);
  return [...byId.entries()].map(([bookingId, groups]) => {
    const all = [...groups.values()];
    const main = bound(all);
    const booking = { bookingId, ...main, others: all.filter((g) => g !== main) };
    return frees.length === 0 ? booking : settleVoid(booking, frees, tickets!);
  });
}
