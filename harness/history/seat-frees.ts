import { DEMO_SEATS } from "../../worker/contract.js";
import type { Op } from "./history.js";

/** A demo request that may have freed seats whatever they held: when it was sent, and when (if) it was answered 2xx. */
export interface SeatFree {
  seats: readonly string[];
  /** The history index and time (ms) of its invocation. */
  invokeIndex: number;
  invokedAt: number;
  /** The history index of its 2xx answer; undefined when it had none (it may still have freed them). */
  doneIndex: number | undefined;
}

const TICKET_FREE = /^\/Ticket\/([^/]+)\/(release|cleanup)$/;

/** The seats a raw ingress request frees whatever they hold: a Ticket's release or cleanup, or the game's reset. */
function seatsFreedBy(path: string): readonly string[] {
  if (path === "/GameManager/reset") return DEMO_SEATS;
  const match = TICKET_FREE.exec(path);
  return match ? [decodeURIComponent(match[1]!)] : [];
}

/**
 * The demo requests of a history that may have freed seats (a release, a cleanup or a game reset through the ingress),
 * except those refused with a 4xx (they changed nothing). A release that names a booking frees only that booking's
 * hold, so counting it is an over-approximation: the checkers ask the final state which sale was really freed.
 */
export function seatFreesOf(ops: Op[]): SeatFree[] {
  const answers = new Map(ops.filter((op) => op.type !== "invoke" && op.invokeIndex !== undefined).map((op) => [op.invokeIndex!, op]));
  const frees: SeatFree[] = [];
  for (const op of ops) {
    if (op.type !== "invoke" || typeof op.value.path !== "string") continue;
    const seats = seatsFreedBy(op.value.path);
    const answer = answers.get(op.index);
    if (seats.length === 0 || answer?.type === "fail") continue;
    frees.push({ seats, invokeIndex: op.index, invokedAt: op.time, doneIndex: answer?.type === "ok" ? answer.index : undefined });
  }
  return frees;
}

/** The frees among `frees` that may have freed `seat` and were sent between `from` and `until` (ms since the history began). */
export function freesOfSeat(frees: SeatFree[], seat: string, from: number, until = Number.POSITIVE_INFINITY): SeatFree[] {
  return frees.filter((f) => f.seats.includes(seat) && f.invokedAt >= from && f.invokedAt <= until);
}
