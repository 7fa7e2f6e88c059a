import { keyPartId } from "./schemas.js";

/**
 * The booking's identity: the client's `bookingId` (checked by the input schema), else the ingress idempotency key where
 * the server passes it to the SDK, else the invocation's id (which Restate derives from the idempotency key when there
 * is one). A key that cannot name a booking (over MAX_ID_LENGTH, a character ids may not hold, the charge key's `:`)
 * gives the reason to refuse it (400) before anything is sent: a handler further on would refuse it where nobody waits
 * for its answer.
 */
export function bookingIdFrom(bookingId: string | undefined, idempotencyKey: string | undefined, invocationId: string): { id: string } | { refused: string } {
  if (bookingId !== undefined) return { id: bookingId };
  if (idempotencyKey === undefined) return { id: invocationId };
  const checked = keyPartId.safeParse(idempotencyKey);
  if (checked.success) return { id: idempotencyKey };
  return { refused: `the Idempotency-Key cannot name the booking: it ${checked.error.issues[0]?.message ?? "is not a valid id"}; send a bookingId` };
}
