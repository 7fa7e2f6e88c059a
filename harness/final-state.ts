import { querySql } from "./admin.js";
import type { LedgerEntry } from "./gateway/ledger.js";

/** A ticket as Restate stores it (read from the `state` table, not from the Worker). */
export interface TicketRecord {
  seatId: string;
  status: "AVAILABLE" | "RESERVED" | "SOLD";
  reservedBy: string | null;
  reservedUntil: number | null;
  bookingId: string | null;
}

/** What a checker judges besides the history: Restate's state and the gateway's ledger once the system is quiet. */
export interface FinalState {
  tickets: Record<string, TicketRecord>;
  /** The SeatMap view: seat → status. */
  seatMap: Record<string, string>;
  ledger: LedgerEntry[];
  /** Invocations by status (sys_invocation), e.g. {completed: 540, backing-off: 0}. */
  invocations: Record<string, number>;
  /** Invocations still queued, running, suspended, retrying or paused when the state was read (at most 20). */
  busy: string[];
  /** When the state was read (ms since the epoch). */
  readAt: number;
}

interface StateRow {
  service_key: string;
  key: string;
  value_utf8: string;
}

const sqlText = (text: string): string => `'${text.replace(/'/g, "''")}'`;

/** Reads every Ticket's state (optionally only seats whose id starts with `prefix`). */
export async function readTickets(adminUrl: string, prefix = ""): Promise<Record<string, TicketRecord>> {
  const rows = await querySql<StateRow>(
    adminUrl,
    `SELECT service_key, key, value_utf8 FROM state WHERE service_name = 'Ticket' AND key = 'state'` +
      (prefix ? ` AND starts_with(service_key, ${sqlText(prefix)})` : ""),
  );
  const tickets: Record<string, TicketRecord> = {};
  for (const row of rows) {
    const value = JSON.parse(row.value_utf8) as Omit<TicketRecord, "seatId">;
    tickets[row.service_key] = {
      seatId: row.service_key,
      status: value.status,
      reservedBy: value.reservedBy,
      reservedUntil: value.reservedUntil,
      bookingId: value.bookingId ?? null,
    };
  }
  return tickets;
}

/** Reads the SeatMap view (optionally only seats whose id starts with `prefix`). */
export async function readSeatMap(adminUrl: string, prefix = ""): Promise<Record<string, string>> {
  const rows = await querySql<StateRow>(
    adminUrl,
    `SELECT service_key, key, value_utf8 FROM state WHERE service_name = 'SeatMap' AND service_key = 'global'` +
      ` AND starts_with(key, ${sqlText(`seat:${prefix}`)})`,
  );
  const map: Record<string, string> = {};
  for (const row of rows) map[row.key.slice("seat:".length)] = (JSON.parse(row.value_utf8) as { status: string }).status;
  return map;
}

/** Counts invocations by status. */
export async function readInvocationCounts(adminUrl: string): Promise<Record<string, number>> {
  const rows = await querySql<{ status: string; n: number }>(adminUrl, "SELECT status, count(*) AS n FROM sys_invocation GROUP BY status");
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

/** Busy means queued, running, suspended, retrying or paused: anything but done or a timer waiting its turn. */
const BUSY = "status IN ('pending', 'ready', 'running', 'suspended', 'backing-off', 'paused')";

/** Invocations that are still busy (at most 20), as "target id status"; with `sinceMs`, only those created since then. */
export async function readBusyInvocations(adminUrl: string, sinceMs?: number): Promise<string[]> {
  const since = sinceMs === undefined ? "" : ` AND created_at >= to_timestamp_millis(${Math.floor(sinceMs)})`;
  const rows = await querySql<{ id: string; target: string; status: string }>(adminUrl, `SELECT id, target, status FROM sys_invocation WHERE ${BUSY}${since} LIMIT 20`);
  return rows.map((row) => `${row.target} ${row.id} ${row.status}`);
}

/**
 * Reads the final state of the seats starting with `prefix`, with `ledger`: the gateway's entries of the same run,
 * whatever they name. With `busySince`, only invocations created since then count as busy (a run judged while an
 * earlier one's hold timers still fire).
 */
export async function readFinalState(adminUrl: string, ledger: LedgerEntry[], prefix = "", busySince?: number): Promise<FinalState> {
  const readAt = Date.now();
  const [tickets, seatMap, invocations, busy] = await Promise.all([
    readTickets(adminUrl, prefix),
    readSeatMap(adminUrl, prefix),
    readInvocationCounts(adminUrl),
    readBusyInvocations(adminUrl, busySince),
  ]);
  return { tickets, seatMap, ledger, invocations, busy, readAt };
}
