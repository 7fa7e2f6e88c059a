import { TerminalError } from "@restatedev/restate-sdk-cloudflare-workers/fetch";
import type { WorkerConfig } from "./config.js";

/** What a booking pays, as in the original. */
export const TICKET_PRICE = 100;

/** One charge: `idempotencyKey` is derived from the booking, so every replay or retry of it sends the same key. */
export interface ChargeRequest {
  idempotencyKey: string;
  amount: number;
  paymentMethodId: string;
  metadata: { bookingId: string; ticketId: string; userId: string };
}

/** A successful charge. */
export interface Charge {
  transactionId: string;
}

/** HTTP status a declined card gets, and that the Checkout passes on to its client. */
export const DECLINED = 402;

function declined(paymentMethodId: string): TerminalError {
  return new TerminalError(`Payment declined (Method: ${paymentMethodId})`, { errorCode: DECLINED });
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The original's in-Worker simulation: a delay, then the outcome the payment method names. */
async function simulatedCharge(config: WorkerConfig, request: ChargeRequest): Promise<Charge> {
  await sleep(config.simulatedPaymentDelayMs);
  if (request.paymentMethodId === "card_decline") throw declined(request.paymentMethodId);
  if (request.paymentMethodId === "card_error") throw new Error("Gateway timeout");
  return { transactionId: `simulated-${request.idempotencyKey}` };
}

async function post(config: WorkerConfig, url: string, idempotencyKey: string, body: unknown): Promise<Response> {
  try {
    return await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", "idempotency-key": idempotencyKey },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(config.paymentTimeoutMs),
    });
  } catch (error) {
    // Network errors and timeouts are transient: a plain Error makes Restate retry the step.
    throw new Error(`Gateway timeout: ${(error as Error).message}`);
  }
}

/**
 * Charges a card once per idempotency key. A decline throws a TerminalError with code 402; a gateway failure
 * (5xx, timeout, network) throws a plain Error so the surrounding durable step retries it; any other refusal
 * of the gateway is terminal.
 */
export async function charge(config: WorkerConfig, request: ChargeRequest): Promise<Charge> {
  if (config.paymentUrl === undefined) return simulatedCharge(config, request);
  const response = await post(config, config.paymentUrl, request.idempotencyKey, {
    amount: request.amount,
    paymentMethodId: request.paymentMethodId,
    metadata: request.metadata,
  });
  const text = await response.text();
  if (response.status === 200) {
    const body = JSON.parse(text) as { transactionId?: unknown };
    if (typeof body.transactionId !== "string") throw new Error("Gateway answered without a transactionId");
    return { transactionId: body.transactionId };
  }
  if (response.status === DECLINED) throw declined(request.paymentMethodId);
  if (response.status >= 500) throw new Error(`Gateway timeout: HTTP ${response.status}`);
  throw new TerminalError(`Gateway refused the charge: HTTP ${response.status} ${text.slice(0, 200)}`, { errorCode: 502 });
}

/** Refunds the charge made under `chargeKey`; retried until the gateway confirms (a refund must not be lost). */
export async function refund(config: WorkerConfig, chargeKey: string, transactionId: string): Promise<void> {
  if (config.paymentUrl === undefined) return;
  const response = await post(config, `${config.paymentUrl}/refunds`, `refund:${chargeKey}`, { chargeKey, transactionId });
  if (response.status !== 200) throw new Error(`Refund not accepted: HTTP ${response.status}`);
}

/** The original's simulated confirmation email. */
export async function sendEmail(config: WorkerConfig, to: string, ticketId: string): Promise<void> {
  await sleep(config.emailDelayMs);
  console.log(`email to ${to}: booking of ${ticketId} confirmed`);
}
