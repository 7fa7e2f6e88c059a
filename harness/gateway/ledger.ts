/** One request the gateway stand-in received, and what it answered. */
export interface LedgerEntry {
  seq: number;
  /** A charge, a refund, or a lookup of the charges made under a reference (it moves no money). */
  kind: "charge" | "refund" | "lookup";
  /** The Idempotency-Key header (for a lookup: the reference looked up), or null when the caller sent none. */
  idempotencyKey: string | null;
  /** For a charge: the booking, seat and user from the request's metadata. For a refund: those of the refunded charge. */
  bookingId: string | null;
  ticketId: string | null;
  userId: string | null;
  /** For a refund: the key of the charge it refunds. */
  chargeKey: string | null;
  paymentMethodId: string | null;
  amount: number;
  /** HTTP status answered. */
  status: number;
  transactionId: string | null;
  /** True when this answer replayed a stored one (same key, same parameters): no money moved. */
  replay: boolean;
  /** True when the answer came from an injected fault rather than the card's outcome. */
  injected: boolean;
  /** True when the gateway processed the request but reset the connection instead of answering (a fault). */
  reset?: boolean;
  /** Why a request with a key was refused without being processed: its key was in flight, or first used with other parameters. */
  conflict?: "in-flight" | "other-parameters";
  /** When the request arrived (ms since the epoch). */
  arrivedAt: number;
  /** When its answer was decided and this entry written (ms since the epoch). */
  at: number;
}

/** Money that moved: a fresh 200 charge or refund (replays, refusals, failures and lookups move none). */
export function movedMoney(entry: LedgerEntry): boolean {
  return entry.kind !== "lookup" && entry.status === 200 && !entry.replay;
}
