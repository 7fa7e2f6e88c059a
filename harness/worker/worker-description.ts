/** A ticket as Restate stores it (read from the `state` table, not from the Worker). */
export interface TicketRecord {
  seatId: string;
  status: "AVAILABLE" | "RESERVED" | "SOLD";
  reservedBy: string | null;
  reservedUntil: number | null;
  bookingId: string | null;
}

/** Runs one admin SQL query against Restate and returns its rows (the `state` table holds every object's state). */
export type SqlQuery = <Row>(sql: string) => Promise<Row[]>;

/** What a Worker offers beyond the booking contract (`Checkout/process`); a gate that needs one it lacks is skipped. */
export interface WorkerCapabilities {
  /** It reports each saga step to NEXUS_CRASHPOINT_URL and waits for the answer, so a test can kill it exactly there. */
  crashPoints: boolean;
  /** The proof of concept's demo API: Ticket/reserve|confirm|release|get, SeatMap/get|set|resetAll, GameManager, DEMO settings. */
  demoApi: boolean;
  /** A SeatMap view (object `SeatMap`, key `global`, state `seat:<id>`) that must converge on the seats' state. */
  seatMapView: boolean;
  /** The /api/mock-payment route, off unless MOCK_PAYMENT_ROUTE=true. */
  mockPaymentRoute: boolean;
  /** It serves only requests Restate signed when given RESTATE_IDENTITY_KEYS, and keeps its private handlers private. */
  requestSigning: boolean;
  /** A checkout holds its seat with a hold that expires on a timer (HOLD_TTL_MS) while the card is charged, so a hold can be lost mid-payment. */
  expiringHolds: boolean;
}

/**
 * What the gates need of a Worker besides its bundle: how its seats' state is read from Restate (by admin SQL, never
 * by asking the Worker), and what it can do. A Worker project declares it in `nexus-worker.ts` (default export).
 * The charge format is fixed for every Worker: one charge per booking and seat, Idempotency-Key
 * `booking:<bookingId>:seat:<seatId>`, metadata {bookingId, ticketId, userId} (worker/contract.ts).
 */
export interface WorkerDescription {
  /** Shown in reports and logs, e.g. "reference". */
  name: string;
  /** Every seat whose id starts with `prefix`, as the gates judge it: seat id → its record. */
  readSeats(query: SqlQuery, prefix: string): Promise<Record<string, TicketRecord>>;
  /** The SeatMap view (seat id → status), when `capabilities.seatMapView`. */
  readSeatMap?(query: SqlQuery, prefix: string): Promise<Record<string, string>>;
  capabilities: WorkerCapabilities;
  /**
   * Bindings the Worker is run with under this description, e.g. the booking design it serves when one bundle serves
   * several; a run's own bindings (--worker-env) and a gate's settings come on top.
   */
  bindings?: Record<string, string>;
}
