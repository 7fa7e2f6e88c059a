// How the gates read the reference Worker (worker/), whichever booking design it serves: its seats and its SeatMap.
import type { TicketRecord } from "../harness/worker/worker-description.js";
import { sqlText } from "../harness/restate/admin.js";
import type { SqlQuery, WorkerCapabilities } from "../harness/worker/worker-description.js";

/** One row of Restate's `state` table, as the reads below select it. */
interface StateRow {
  service_key: string;
  key: string;
  value_utf8: string;
}

/** What the reference Worker's Ticket stores under its one `state` key. */
interface StoredTicket {
  status: TicketRecord["status"];
  reservedBy: string | null;
  reservedUntil: number | null;
  bookingId?: string | null;
}

/** Every Ticket whose seat id starts with `prefix`: object `Ticket`, keyed by seat, one JSON value under `state`. */
export async function readSeats(query: SqlQuery, prefix: string): Promise<Record<string, TicketRecord>> {
  const rows = await query<StateRow>(
    `SELECT service_key, key, value_utf8 FROM state WHERE service_name = 'Ticket' AND key = 'state'` +
      (prefix ? ` AND starts_with(service_key, ${sqlText(prefix)})` : ""),
  );
  const seats: Record<string, TicketRecord> = {};
  for (const row of rows) {
    const value = JSON.parse(row.value_utf8) as StoredTicket;
    seats[row.service_key] = {
      seatId: row.service_key,
      status: value.status,
      reservedBy: value.reservedBy,
      reservedUntil: value.reservedUntil,
      bookingId: value.bookingId ?? null,
    };
  }
  return seats;
}

/** The SeatMap view: object `SeatMap`, key `global`, one `seat:<id>` entry per seat. */
export async function readSeatMap(query: SqlQuery, prefix: string): Promise<Record<string, string>> {
  const rows = await query<StateRow>(
    `SELECT service_key, key, value_utf8 FROM state WHERE service_name = 'SeatMap' AND service_key = 'global'` +
      ` AND starts_with(key, ${sqlText(`seat:${prefix}`)})`,
  );
  return Object.fromEntries(rows.map((row) => [row.key.slice("seat:".length), (JSON.parse(row.value_utf8) as { status: string }).status]));
}

/** What the reference Worker can do in every design it serves. */
export const REFERENCE_CAPABILITIES: Omit<WorkerCapabilities, "expiringHolds"> = {
  crashPoints: true,
  demoApi: true,
  seatMapView: true,
  mockPaymentRoute: true,
  requestSigning: true,
};
