import type { LedgerEntry } from "../gateway/ledger.js";
import type { TicketRecord } from "../worker/worker-description.js";

/** What a checker judges besides the history: Restate's state and the gateway's ledger once the system is quiet. */
export interface FinalState {
  tickets: Record<string, TicketRecord>;
  /** The SeatMap view: seat → status; null when the Worker has no such view. */
  seatMap: Record<string, string> | null;
  ledger: LedgerEntry[];
  /** Invocations by status (sys_invocation), e.g. {completed: 540, backing-off: 0}. */
  invocations: Record<string, number>;
  /** Invocations queued, running, suspended, retrying or paused when the state was read and still so a moment later (at most 20). */
  busy: string[];
  /** When the state was read (ms since the epoch). */
  readAt: number;
}

/** Each seat whose status the SeatMap view does not show, as [seat, ticket status, view status] (absent on either side: AVAILABLE). */
export function viewDisagreements(tickets: Record<string, TicketRecord>, seatMap: Record<string, string>): Array<[string, string, string]> {
  const seats = new Set([...Object.keys(tickets), ...Object.keys(seatMap)]);
  return [...seats]
    .map((seat): [string, string, string] => [seat, tickets[seat]?.status ?? "AVAILABLE", seatMap[seat] ?? "AVAILABLE"])
    .filter(([, ticket, view]) => ticket !== view);
}
