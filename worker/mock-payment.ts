import { z } from "zod";
import type { WorkerConfig } from "./config.js";
import { MAX_INPUT_BYTES } from "./input.js";
import { id, MAX_KEY_LENGTH } from "./schemas.js";

/** The mock gateway's route (not through Restate). */
export const MOCK_PAYMENT_PATH = "/api/mock-payment";

const paymentRequest = z.object({
  amount: z.number().positive().finite(),
  paymentMethodId: id,
});

interface Answer {
  status: number;
  body: unknown;
}

/** First answers by idempotency key, kept in this isolate (a mock: it forgets them when the isolate goes). */
const answers = new Map<string, Promise<Answer>>();
const MAX_REMEMBERED = 10_000;

function json(answer: Answer): Response {
  return new Response(JSON.stringify(answer.body), { status: answer.status, headers: { "content-type": "application/json" } });
}

async function decide(config: WorkerConfig, paymentMethodId: string): Promise<Answer> {
  await new Promise((resolve) => setTimeout(resolve, config.simulatedPaymentDelayMs));
  if (paymentMethodId === "card_decline") return { status: 402, body: { error: "Insufficient funds" } };
  if (paymentMethodId === "card_error") return { status: 503, body: { error: "Gateway timeout" } };
  return { status: 200, body: { success: true, transactionId: crypto.randomUUID() } };
}

/**
 * `POST /api/mock-payment {amount, paymentMethodId}`: after the simulated delay, 200 `{success, transactionId}`,
 * 402 for `card_decline`, 503 for `card_error`; 405 for other methods, 400 for a malformed body, 413 for a body over
 * MAX_INPUT_BYTES. A repeated `Idempotency-Key` gets the first answer again.
 */
export async function handleMockPayment(request: Request, config: WorkerConfig): Promise<Response> {
  if (request.method !== "POST") return new Response("Method not allowed", { status: 405, headers: { allow: "POST" } });
  const body = await request.arrayBuffer();
  if (body.byteLength > MAX_INPUT_BYTES)
    return json({ status: 413, body: { error: `request body of ${body.byteLength} bytes is over the limit of ${MAX_INPUT_BYTES} bytes` } });
  const text = new TextDecoder().decode(body);
  let parsed: z.infer<typeof paymentRequest>;
  try {
    const result = paymentRequest.safeParse(JSON.parse(text));
    if (!result.success) return json({ status: 400, body: { error: `Invalid payment request: ${result.error.issues[0]?.message}` } });
    parsed = result.data;
  } catch {
    return json({ status: 400, body: { error: "Invalid payment request: body is not JSON" } });
  }
  const key = request.headers.get("idempotency-key");
  if (key === null) return json(await decide(config, parsed.paymentMethodId));
  if (key.length === 0 || key.length > MAX_KEY_LENGTH) {
    return json({ status: 400, body: { error: `Invalid Idempotency-Key: 1 to ${MAX_KEY_LENGTH} characters` } });
  }
  let answer = answers.get(key);
  if (answer === undefined) {
    if (answers.size >= MAX_REMEMBERED) answers.delete(answers.keys().next().value as string);
    answer = decide(config, parsed.paymentMethodId);
    answers.set(key, answer);
  }
  return json(await answer);
}
