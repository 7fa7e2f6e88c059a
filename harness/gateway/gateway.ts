import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { listenOnLoopback, LOOPBACK } from "../ports.js";
import type { LedgerEntry } from "./ledger.js";

/** The path of charges (as the Worker's own mock route); refunds go to `<path>/refunds`. */
export const CHARGE_PATH = "/api/mock-payment";

/** Faults the gateway injects, changeable while it runs. */
export interface FaultPlan {
  /** Answer the next N charges with 503 (before looking at the card). */
  failNextCharges: number;
  /** Answer every charge with 503. */
  failAllCharges: boolean;
  /** Added latency of every charge, in ms. */
  latencyMs: number;
  /** Added latency of charges by payment method, in ms (on top of latencyMs). */
  latencyByMethodMs: Record<string, number>;
  /** Process the next N charges, then reset the connection instead of answering. */
  resetNextCharges: number;
}

const NO_FAULTS: FaultPlan = { failNextCharges: 0, failAllCharges: false, latencyMs: 0, latencyByMethodMs: {}, resetNextCharges: 0 };

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString("utf8") || "null");
}

function send(response: ServerResponse, answer: Answer): void {
  response.writeHead(answer.status, { "content-type": "application/json" });
  response.end(JSON.stringify(answer.body));
}

const text = (value: unknown): string | null => (typeof value === "string" ? value : null);

/**
 * A payment gateway stand-in: a real HTTP server with the mock-payment contract (card_success 200,
 * card_decline 402, card_error 503), a ledger of every request, idempotency by key (a repeated key gets the
 * first final answer and moves no money), refunds, and an injectable fault plan.
 */
export class PaymentGateway {
  private readonly ledger: LedgerEntry[] = [];
  private readonly answers = new Map<string, Answer>();
  private readonly pending = new Map<string, Promise<Answer>>();
  private faults: FaultPlan = { ...NO_FAULTS };
  private readonly holds = new Map<string, { arrived: () => void; released: Promise<void> }>();
  private seq = 0;

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  /** Starts the gateway on a free loopback port. */
  static async start(): Promise<PaymentGateway> {
    let gateway: PaymentGateway | undefined;
    const server = createServer((request, response) => {
      gateway!.handle(request, response).catch((error: unknown) => send(response, { status: 500, body: { error: String(error) } }));
    });
    server.keepAliveTimeout = 60_000;
    const port = await listenOnLoopback(server);
    gateway = new PaymentGateway(server, `http://${LOOPBACK}:${port}`);
    return gateway;
  }

  /** The URL the Worker's PAYMENT_URL should hold. */
  get chargeUrl(): string {
    return `${this.url}${CHARGE_PATH}`;
  }

  /** A copy of the ledger, in arrival order. */
  entries(): LedgerEntry[] {
    return this.ledger.map((e) => ({ ...e }));
  }

  /** Replaces the fault plan (fields not given are reset to "no fault"). */
  setFaults(plan: Partial<FaultPlan>): void {
    this.faults = { ...NO_FAULTS, ...plan };
  }

  /**
   * Holds the next charge of `bookingId` once it arrives, until `release()` is called: the test knows exactly when
   * the charge is in flight. `arrived` resolves when the gateway has received it.
   */
  holdCharge(bookingId: string): { arrived: Promise<void>; release: () => void } {
    let arrived!: () => void;
    let release!: () => void;
    const arrivedPromise = new Promise<void>((resolve) => (arrived = resolve));
    const released = new Promise<void>((resolve) => (release = resolve));
    this.holds.set(bookingId, { arrived, released });
    return { arrived: arrivedPromise, release };
  }

  /** Stops listening and closes every connection. */
  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private record(entry: Omit<LedgerEntry, "seq" | "at">): void {
    this.ledger.push({ ...entry, seq: ++this.seq, at: Date.now() });
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = new URL(request.url ?? "/", this.url).pathname;
    if (request.method === "GET" && path === "/__ledger") return send(response, { status: 200, body: { entries: this.ledger } });
    if (request.method !== "POST") return send(response, { status: 405, body: { error: "Method not allowed" } });
    let body: unknown;
    try {
      body = await readJson(request);
    } catch {
      return send(response, { status: 400, body: { error: "body is not JSON" } });
    }
    const key = text(request.headers["idempotency-key"]);
    if (path === CHARGE_PATH) {
      const reset = this.faults.resetNextCharges > 0;
      if (reset) this.faults.resetNextCharges -= 1;
      const answer = await this.charge(key, body, reset);
      return reset ? void response.socket?.destroy() : send(response, answer);
    }
    if (path === `${CHARGE_PATH}/refunds`) return send(response, this.refund(key, body));
    if (path === "/__faults") {
      this.setFaults(body as Partial<FaultPlan>);
      return send(response, { status: 200, body: { faults: this.faults } });
    }
    return send(response, { status: 404, body: { error: `no route ${path}` } });
  }

  private async charge(key: string | null, body: unknown, reset: boolean): Promise<Answer> {
    const request = (body ?? {}) as { amount?: unknown; paymentMethodId?: unknown; metadata?: Record<string, unknown> };
    const method = text(request.paymentMethodId);
    const amount = typeof request.amount === "number" ? request.amount : NaN;
    const base = {
      kind: "charge" as const,
      idempotencyKey: key,
      bookingId: text(request.metadata?.bookingId),
      ticketId: text(request.metadata?.ticketId),
      userId: text(request.metadata?.userId),
      chargeKey: null,
      paymentMethodId: method,
      amount,
    };
    if (method === null || !(amount > 0)) {
      const answer = { status: 400, body: { error: "amount and paymentMethodId are required" } };
      this.record({ ...base, status: 400, transactionId: null, replay: false, injected: false });
      return answer;
    }
    const stored = key === null ? undefined : this.answers.get(key);
    if (stored) {
      this.record({ ...base, status: stored.status, transactionId: text(stored.body.transactionId), replay: true, injected: false });
      return stored;
    }
    const inFlight = key === null ? undefined : this.pending.get(key);
    if (inFlight) {
      const answer = await inFlight;
      this.record({ ...base, status: answer.status, transactionId: text(answer.body.transactionId), replay: true, injected: false });
      return answer;
    }
    const hold = base.bookingId === null ? undefined : this.holds.get(base.bookingId);
    if (hold) {
      this.holds.delete(base.bookingId!);
      hold.arrived();
    }
    const decision = this.decide(method, hold?.released);
    if (key !== null) this.pending.set(key, decision.answer);
    const answer = await decision.answer;
    if (key !== null) {
      this.pending.delete(key);
      if (!decision.injected && answer.status !== 503) this.answers.set(key, answer);
    }
    this.record({ ...base, status: answer.status, transactionId: text(answer.body.transactionId), replay: false, injected: decision.injected, reset });
    return answer;
  }

  private decide(method: string, heldUntil?: Promise<void>): { answer: Promise<Answer>; injected: boolean } {
    const plan = this.faults;
    const injected = plan.failAllCharges || plan.failNextCharges > 0;
    if (plan.failNextCharges > 0) plan.failNextCharges -= 1;
    const latency = plan.latencyMs + (plan.latencyByMethodMs[method] ?? 0);
    const outcome = (): Answer => {
      if (injected) return { status: 503, body: { error: "Gateway timeout" } };
      if (method === "card_decline") return { status: 402, body: { error: "Insufficient funds" } };
      if (method === "card_error") return { status: 503, body: { error: "Gateway timeout" } };
      return { status: 200, body: { success: true, transactionId: randomUUID() } };
    };
    const answer = (async () => {
      await heldUntil;
      if (latency > 0) await new Promise((resolve) => setTimeout(resolve, latency));
      return outcome();
    })();
    return { answer, injected };
  }

  private refund(key: string | null, body: unknown): Answer {
    const chargeKey = text((body as { chargeKey?: unknown } | null)?.chargeKey);
    const charge = this.ledger.find((e) => e.kind === "charge" && e.idempotencyKey === chargeKey && e.status === 200);
    const base = {
      kind: "refund" as const,
      idempotencyKey: key,
      bookingId: charge?.bookingId ?? null,
      ticketId: charge?.ticketId ?? null,
      userId: charge?.userId ?? null,
      chargeKey,
      paymentMethodId: null,
      amount: charge?.amount ?? 0,
    };
    if (!charge) {
      this.record({ ...base, status: 404, transactionId: null, replay: false, injected: false });
      return { status: 404, body: { error: `no successful charge under ${chargeKey}` } };
    }
    const stored = key === null ? undefined : this.answers.get(key);
    const answer = stored ?? { status: 200, body: { refunded: true, transactionId: charge.transactionId } };
    if (key !== null && !stored) this.answers.set(key, answer);
    this.record({ ...base, status: 200, transactionId: charge.transactionId, replay: stored !== undefined, injected: false });
    return answer;
  }
}
