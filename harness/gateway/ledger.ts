/** One request the gateway stand-in received, and what it answered. */
export interface LedgerEntry {
  seq: number;
  kind: "charge" | "refund";
  /** The Idempotency-Key header, or null when the caller sent none. */
  idempotencyKey: string | null;
  /** For a charge: the booking, seat and user from the request's metadata. For a refund: the refunded charge's key. */
  bookingId: string | null;
  ticketId: string | null;
  userId: string | null;
  chargeKey: string | null;
  paymentMethodId: string | null;
  amount: number;
  /** HTTP status answered. */
  status: number;
  transactionId: string | null;
  /** True when this answer replayed a stored one (same key): no money moved. */
  replay: boolean;
  /** True when the answer came from an injected fault rather than the card's outcome. */
  injected: boolean;
  /** True when the gateway processed the request but reset the connection instead of answering (a fault). */
  reset?: boolean;
  at: number;
}

/** Money that moved: a fresh 200 charge or refund (replays and failures move none). */
export function movedMoney(entry: LedgerEntry): boolean {
  return entry.status === 200 && !entry.replay;
}
