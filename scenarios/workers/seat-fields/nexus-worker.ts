import { sqlText, type SqlQuery, type TicketRecord, type WorkerDescription } from "nexus";

/** One row of Restate's `state` table: one field of one seat. */
interface StateRow {
  service_key: string;
  key: string;
  value_utf8: string;
}

/** A seat from its fields (see seat.ts): `holder`, `user`, `until`, `sold`; a seat with no field left is absent (AVAILABLE). */
function recordOf(seatId: string, fields: Record<string, unknown>): TicketRecord {
  const text = (value: unknown): string | null => (typeof value === "string" ? value : null);
  const holder = text(fields.holder);
  const status = fields.sold === true ? "SOLD" : holder !== null ? "RESERVED" : "AVAILABLE";
  const until = status === "RESERVED" && typeof fields.until === "number" ? fields.until : null;
  return { seatId, status, reservedBy: holder !== null ? text(fields.user) : null, reservedUntil: until, bookingId: holder };
}

/** Every seat whose id starts with `prefix`: object `Seat`, keyed by seat id, one state key per field. */
async function readSeats(query: SqlQuery, prefix: string): Promise<Record<string, TicketRecord>> {
  const rows = await query<StateRow>(
    `SELECT service_key, key, value_utf8 FROM state WHERE service_name = 'Seat' AND starts_with(service_key, ${sqlText(prefix)})`,
  );
  const fields = new Map<string, Record<string, unknown>>();
  for (const row of rows) fields.set(row.service_key, { ...fields.get(row.service_key), [row.key]: JSON.parse(row.value_utf8) as unknown });
  return Object.fromEntries([...fields].map(([seatId, f]) => [seatId, recordOf(seatId, f)]));
}

/** The seat-fields test Worker (scenarios/workers/seat-fields): the reference's contract, another state layout. */
const seatFields: WorkerDescription = {
  name: "seat-fields",
  readSeats,
  capabilities: { crashPoints: true, demoApi: false, seatMapView: false, mockPaymentRoute: false, requestSigning: true, expiringHolds: true },
};

export default seatFields;
