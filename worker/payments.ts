import type { WorkerConfig } from "./config.js";

// The payment gateway's API as the Worker calls it: one charge attempt, a lookup of the charges made under a
// reference, a refund. Each call either gives a definite answer or throws a plain Error (its outcome is unknown).

/** One charge: `idempotencyKey` names the booking and seat (chargeKeyOf), so every replay or retry sends the same key. */
export interface ChargeRequest {
  idempotencyKey: string;
  amount: number;
  paymentMethodId: string;
  metadata: { bookingId: string; ticketId: string; userId: string };
}

/** A definite answer about a charge: the money was taken, the card was declined, or no money was taken. */
export type ChargeOutcome =
  | { kind: "charged"; transactionId: string }
  | { kind: "declined"; detail: string }
  | { kind: "refused"; detail: string }
  | { kind: "not-charged"; detail: string };

/** A charge as the gateway's records hold it (see `lookupCharges`). */
export interface ChargeRecord {
  transactionId: string | null;
  state: "processing" | "succeeded" | "declined" | "failed";
  refunded: boolean;
}

/** HTTP status with which the gateway declines a card (the Booking answers its client with the same). */
export const DECLINED = 402;

const declined = (paymentMethodId: string): ChargeOutcome => ({ kind: "declined", detail: `Payment declined (Method: ${paymentMethodId})` });

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The proof of concept's in-Worker simulation: a delay, then the outcome the payment method names (card_error: no answer). */
async function simulatedCharge(config: WorkerConfig, request: ChargeRequest): Promise<ChargeOutcome> {
  await sleep(config.simulatedPaymentDelayMs);
  if (request.paymentMethodId === "card_decline") return declined(request.paymentMethodId);
  if (request.paymentMethodId === "card_error") throw new Error("the simulated gateway answered 503");
  return { kind: "charged", transactionId: `simulated-${request.idempotencyKey}` };
}

async function call(config: WorkerConfig, url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, { ...init, signal: AbortSignal.timeout(config.paymentTimeoutMs) });
  } catch (error) {
    // Network errors and timeouts leave the outcome unknown: a plain Error makes Restate retry the step.
    const name = (error as Error).name;
    throw new Error(name === "TimeoutError" ? `no answer within ${config.paymentTimeoutMs} ms` : `no answer: ${(error as Error).message}`);
  }
}

function post(config: WorkerConfig, url: string, idempotencyKey: string, body: unknown): Promise<Response> {
  return call(config, url, {
    method: "POST",
    headers: { "content-type": "application/json", "idempotency-key": idempotencyKey },
    body: JSON.stringify(body),
  });
}

/**
 * One charge attempt. Returns a definite outcome: charged (200), declined (402), or refused by the gateway (another
 * 4xx: nothing was charged). Throws a plain Error when the outcome is unknown: no answer, a timeout, a 5xx, or 409
 * (a request with this key is still being processed), so the surrounding durable step retries with the same key.
 */
export async function chargeOnce(config: WorkerConfig, request: ChargeRequest): Promise<ChargeOutcome> {
  if (config.paymentUrl === undefined) return simulatedCharge(config, request);
  const response = await post(config, config.paymentUrl, request.idempotencyKey, {
    amount: request.amount,
    paymentMethodId: request.paymentMethodId,
    metadata: request.metadata,
  });
  const text = await response.text();
  if (response.status === 200) {
    const body = JSON.parse(text) as { transactionId?: unknown };
    if (typeof body.transactionId !== "string") throw new Error("the gateway answered 200 without a transactionId");
    return { kind: "charged", transactionId: body.transactionId };
  }
  if (response.status === DECLINED) return declined(request.paymentMethodId);
  if (response.status === 409) throw new Error("the gateway was still processing a request with this key");
  if (response.status >= 500) throw new Error(`the gateway answered HTTP ${response.status}`);
  return { kind: "refused", detail: `HTTP ${response.status} ${text.slice(0, 200)}` };
}

/**
 * The charges the gateway made under `reference` (a charge's idempotency key), as its search by merchant reference
 * finds them; without a gateway (the simulation) there are none, since a simulated charge always answers. Throws a
 * plain Error when the gateway cannot be asked.
 */
export async function lookupCharges(config: WorkerConfig, reference: string): Promise<ChargeRecord[]> {
  if (config.paymentUrl === undefined) return [];
  const response = await call(config, `${config.paymentUrl}/charges?reference=${encodeURIComponent(reference)}`, { method: "GET" });
  if (response.status !== 200) throw new Error(`the gateway's lookup answered HTTP ${response.status}`);
  const body = (await response.json()) as { charges?: ChargeRecord[] };
  return body.charges ?? [];
}

/** A definite answer about a refund: the gateway refunded the charge, or refused to (another 4xx: e.g. already refunded). */
export type RefundOutcome = { kind: "refunded" } | { kind: "refused"; detail: string };

/**
 * One refund attempt of the charge `transactionId` made under `chargeKey`, with the key `refund:<chargeKey>`. Returns
 * refunded (200) or refused (another 4xx: the gateway will not refund under this request, e.g. it is already refunded
 * and no longer knows the key). Throws a plain Error when the outcome is unknown: no answer, a timeout, a 5xx, or 409.
 */
export async function refundOnce(config: WorkerConfig, chargeKey: string, transactionId: string): Promise<RefundOutcome> {
  if (config.paymentUrl === undefined) return { kind: "refunded" };
  const response = await post(config, `${config.paymentUrl}/refunds`, `refund:${chargeKey}`, { chargeKey, transactionId });
  const text = await response.text();
  if (response.status === 200) return { kind: "refunded" };
  if (response.status === 409) throw new Error("the gateway was still processing a refund with this key");
  if (response.status >= 500) throw new Error(`the gateway answered the refund with HTTP ${response.status}`);
  return { kind: "refused", detail: `HTTP ${response.status} ${text.slice(0, 200)}` };
}

/** The proof of concept's simulated confirmation email. */
export async function sendEmail(config: WorkerConfig, to: string, ticketId: string): Promise<void> {
  await sleep(config.emailDelayMs);
  console.log(`email to ${to}: booking of ${ticketId} confirmed`);
}
