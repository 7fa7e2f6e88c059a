import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { listenOnLoopback, LOOPBACK } from "../system/ports.js";
import { waitFor } from "../system/wait.js";
import { IdempotencyKeys, type Answer, type Parameters } from "./idempotency.js";
import type { LedgerEntry } from "./ledger.js";

/** The path of charges (as the Worker's own mock route); refunds go to `<path>/refunds`, lookups to `<path>/charges`. */
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
  /** Forget a key's stored answer this long after it was stored (Stripe prunes keys after 24 h); unset: keep them. */
  forgetKeysAfterMs?: number;
  /** Answer the next N refunds with 503 without refunding. */
  failNextRefunds: number;
  /** Refund the next N refunds, then reset the connection instead of answering (the answer is lost). */
  resetNextRefunds: number;
  /** Store no refund's answer under its key, as if each retry came after the key's retention had passed. */
  forgetRefundKeys: boolean;
}

const NO_FAULTS: FaultPlan = {
  failNextCharges: 0,
  failAllCharges: false,
  latencyMs: 0,
  latencyByMethodMs: {},
  resetNextCharges: 0,
  failNextRefunds: 0,
  resetNextRefunds: 0,
  forgetRefundKeys: false,
};

/** The longest idempotency key the gateway takes (Stripe's limit); a longer one is refused with 400 and never processed. */
export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;

/**
 * How the gateway treats its own failures under a key. "default": a 5xx answer is not stored, so a retry with the same
 * key is processed anew (as several gateways do). "stripe": every answer of a request that began executing is stored,
 * a 5xx included, so a retry with the same key gets the same 5xx (docs.stripe.com/idempotency).
 */
export type GatewayProfile = "default" | "stripe";

/** A charge as the gateway's records hold it, found by its reference (the idempotency key it was made with). */
interface ChargeRecord {
  transactionId: string | null;
  state: "processing" | "succeeded" | "declined" | "failed";
  amount: number;
  refunded: boolean;
}

/** A charge record and what its request said (for refunds and lookups, which name only the reference). */
type StoredCharge = ChargeRecord & { metadata: Pick<LedgerEntry, "bookingId" | "ticketId" | "userId" | "paymentMethodId"> };

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

function stateOfAnswer(status: number): ChargeRecord["state"] {
  if (status === 200) return "succeeded";
  return status === 402 ? "declined" : "failed";
}

/** The booking, seat and user a stored charge's metadata names (nulls without one), for a ledger entry about it. */
function bookingNamedBy(metadata: StoredCharge["metadata"] | undefined): Pick<LedgerEntry, "bookingId" | "ticketId" | "userId"> {
  return { bookingId: metadata?.bookingId ?? null, ticketId: metadata?.ticketId ?? null, userId: metadata?.userId ?? null };
}

/** A ledger entry's fields for a request that names no booking and moves no money. */
const NOBODY = {
  bookingId: null,
  ticketId: null,
  userId: null,
  chargeKey: null,
  paymentMethodId: null,
  amount: 0,
  transactionId: null,
  replay: false,
  injected: false,
};

const IN_FLIGHT: Answer = { status: 409, body: { error: "A request with this Idempotency-Key is still being processed: retry it later" } };

/**
 * A payment gateway stand-in, as strict as a real one: a real HTTP server with the mock-payment contract
 * (card_success 200, card_decline 402, card_error 503) and a ledger of every request. Idempotency keys behave as
 * Stripe documents them: a key still being processed gets 409, a key reused with other parameters gets 400, a stored
 * answer is replayed and moves no money, keys can be forgotten; a charge slower than its caller's timeout still
 * completes and moves money; a key over 255 characters is refused. Refunds, a lookup of the charges made under a
 * reference, and an injectable fault plan (charges and refunds failed, slowed, or answered into a reset connection).
 */
export class PaymentGateway {
  private readonly ledger: LedgerEntry[] = [];
  private readonly keys = new IdempotencyKeys();
  private readonly records = new Map<string, StoredCharge[]>();
  private faults: FaultPlan = { ...NO_FAULTS };
  private profile: GatewayProfile = "default";
  private readonly holds = new Map<string, { arrived: () => void; released: Promise<void> }>();
  private readonly releases = new Set<() => void>();
  private processing = 0;
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

  /** A copy of the ledger, in arrival order (an entry is written when its answer is decided). */
  entries(): LedgerEntry[] {
    return this.ledger.map((e) => ({ ...e }));
  }

  /** Replaces the fault plan (fields not given are reset to "no fault"). */
  setFaults(plan: Partial<FaultPlan>): void {
    this.faults = { ...NO_FAULTS, ...plan };
  }

  /** Chooses how the gateway stores its own failures under a key (see GatewayProfile). */
  setProfile(profile: GatewayProfile): void {
    this.profile = profile;
  }

  /** Forgets every stored answer now, as a gateway does once a key's retention has passed; returns how many. */
  forgetKeys(): number {
    return this.keys.forgetAll();
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
    this.releases.add(release);
    return { arrived: arrivedPromise, release };
  }

  /** Releases every charge held by `holdCharge`, arrived or not: a workload that stopped early leaves none waiting. */
  releaseHolds(): void {
    for (const release of this.releases) release();
    this.releases.clear();
    this.holds.clear();
  }

  /** Resolves once no charge is being processed (every charge that arrived has its answer and its ledger entry). */
  async whenIdle(timeoutMs = 60_000): Promise<void> {
    await waitFor(async () => this.processing === 0, { timeoutMs, intervalMs: 20, what: "the payment gateway to finish its charges" });
  }

  /** Stops listening and closes every connection. */
  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private record(entry: Omit<LedgerEntry, "seq" | "at" | "arrivedAt">, arrivedAt = Date.now()): void {
    this.ledger.push({ ...entry, seq: ++this.seq, arrivedAt, at: Date.now() });
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? "/", this.url);
    const path = url.pathname;
    if (request.method === "GET" && path === "/__ledger") return send(response, { status: 200, body: { entries: this.ledger } });
    if (request.method === "GET" && path === `${CHARGE_PATH}/charges`) return send(response, this.lookup(url.searchParams.get("reference")));
    if (request.method !== "POST") return send(response, { status: 405, body: { error: "Method not allowed" } });
    let body: unknown;
    try {
      body = await readJson(request);
    } catch {
      return send(response, { status: 400, body: { error: "body is not JSON" } });
    }
    const key = text(request.headers["idempotency-key"]);
    if ((path === CHARGE_PATH || path === `${CHARGE_PATH}/refunds`) && key !== null && (key.length === 0 || key.length > MAX_IDEMPOTENCY_KEY_LENGTH)) {
      this.record({ ...NOBODY, kind: path === CHARGE_PATH ? "charge" : "refund", idempotencyKey: key, status: 400 });
      return send(response, {
        status: 400,
        body: { error: `Invalid Idempotency-Key: 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} characters, this one has ${key.length}` },
      });
    }
    if (path === CHARGE_PATH) {
      const { answer, reset } = await this.charge(key, body);
      return reset ? void response.socket?.destroy() : send(response, answer);
    }
    if (path === `${CHARGE_PATH}/refunds`) {
      const { answer, reset } = this.refund(key, body);
      return reset ? void response.socket?.destroy() : send(response, answer);
    }
    if (path === "/__faults") {
      this.setFaults(body as Partial<FaultPlan>);
      return send(response, { status: 200, body: { faults: this.faults } });
    }
    if (path === "/__profile") {
      this.setProfile((body as { profile?: GatewayProfile } | null)?.profile === "stripe" ? "stripe" : "default");
      return send(response, { status: 200, body: { profile: this.profile } });
    }
    if (path === "/__forget") return send(response, { status: 200, body: { forgotten: this.forgetKeys() } });
    return send(response, { status: 404, body: { error: `no route ${path}` } });
  }

  private async charge(key: string | null, body: unknown): Promise<{ answer: Answer; reset: boolean }> {
    const arrivedAt = Date.now();
    const request = (body ?? {}) as { amount?: unknown; paymentMethodId?: unknown; metadata?: Record<string, unknown> };
    const method = text(request.paymentMethodId);
    const amount = typeof request.amount === "number" ? request.amount : NaN;
    const base = {
      ...NOBODY,
      kind: "charge" as const,
      idempotencyKey: key,
      bookingId: text(request.metadata?.bookingId),
      ticketId: text(request.metadata?.ticketId),
      userId: text(request.metadata?.userId),
      paymentMethodId: method,
      amount,
    };
    const refuse = (answer: Answer, extra: Partial<LedgerEntry> = {}) => {
      this.record({ ...base, status: answer.status, ...extra });
      return { answer, reset: false };
    };
    if (method === null || !(amount > 0)) return refuse({ status: 400, body: { error: "amount and paymentMethodId are required" } });
    const parameters: Parameters = { amount, paymentMethodId: method, metadata: request.metadata ?? null };
    if (key !== null) {
      const state = this.keys.stateOf(key, parameters, this.faults.forgetKeysAfterMs);
      if (state.kind === "in-flight") return refuse(IN_FLIGHT, { conflict: "in-flight" });
      if (state.kind === "other-parameters") {
        const error = `Keys for idempotent requests can only be used with the same parameters they were first used with: key ${key} was first used with ${JSON.stringify(state.first)}, this request has ${JSON.stringify(parameters)}`;
        return refuse({ status: 400, body: { error } }, { conflict: "other-parameters" });
      }
      if (state.kind === "stored") {
        return refuse(state.answer, { transactionId: text(state.answer.body.transactionId), replay: true });
      }
      this.keys.begin(key, parameters);
    }
    this.processing += 1;
    try {
      const reset = this.faults.resetNextCharges > 0;
      if (reset) this.faults.resetNextCharges -= 1;
      const recorded: StoredCharge = { transactionId: null, state: "processing", amount, refunded: false, metadata: base };
      if (key !== null) this.records.set(key, [...(this.records.get(key) ?? []), recorded]);
      const hold = base.bookingId === null ? undefined : this.holds.get(base.bookingId);
      if (hold) {
        this.holds.delete(base.bookingId!);
        hold.arrived();
      }
      const decision = this.decide(method, hold?.released);
      const answer = await decision.answer;
      recorded.state = stateOfAnswer(answer.status);
      recorded.transactionId = text(answer.body.transactionId);
      if (key !== null) this.keys.end(key, this.stores(answer) ? answer : undefined);
      this.record({ ...base, status: answer.status, transactionId: recorded.transactionId, injected: decision.injected, reset }, arrivedAt);
      return { answer, reset };
    } catch (error) {
      if (key !== null) this.keys.end(key, undefined);
      throw error;
    } finally {
      this.processing -= 1;
    }
  }

  /** Whether an answer is stored under its key: successes and declines always; a 5xx only in the "stripe" profile. */
  private stores(answer: Answer): boolean {
    return answer.status < 500 || this.profile === "stripe";
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

  /** The charges made under `reference` (an idempotency key), as a real gateway's search by merchant reference finds them. */
  private lookup(reference: string | null): Answer {
    if (reference === null || reference === "") return { status: 400, body: { error: "reference is required" } };
    const found = this.records.get(reference) ?? [];
    const first = found[0]?.metadata;
    this.record({
      ...NOBODY,
      ...bookingNamedBy(first),
      paymentMethodId: first?.paymentMethodId ?? null,
      kind: "lookup",
      idempotencyKey: reference,
      status: 200,
    });
    const charges = found.map(({ transactionId, state, amount, refunded }) => ({ transactionId, state, amount, refunded }));
    return { status: 200, body: { reference, charges } };
  }

  /** A refund of the charge its body names (by charge key and transaction), under the fault plan's refund faults. */
  private refund(key: string | null, body: unknown): { answer: Answer; reset: boolean } {
    const request = (body ?? {}) as { chargeKey?: unknown; transactionId?: unknown };
    const chargeKey = text(request.chargeKey);
    const transactionId = text(request.transactionId);
    const candidates = (chargeKey === null ? [] : (this.records.get(chargeKey) ?? [])).filter((r) => r.state === "succeeded");
    const charge = transactionId === null ? candidates.at(-1) : candidates.find((r) => r.transactionId === transactionId);
    const answered = (answer: Answer, extra: Partial<LedgerEntry> = {}) => {
      this.record({
        ...NOBODY,
        ...bookingNamedBy(charge?.metadata),
        kind: "refund",
        idempotencyKey: key,
        chargeKey,
        paymentMethodId: null,
        amount: charge?.amount ?? 0,
        status: answer.status,
        transactionId: charge?.transactionId ?? null,
        ...extra,
      });
      return { answer, reset: extra.reset === true };
    };
    if (this.faults.failNextRefunds > 0) {
      this.faults.failNextRefunds -= 1;
      return answered({ status: 503, body: { error: "Gateway timeout" } }, { injected: true });
    }
    const parameters: Parameters = { chargeKey, transactionId };
    const state = key === null ? { kind: "new" as const } : this.keys.stateOf(key, parameters, this.faults.forgetKeysAfterMs);
    if (state.kind === "other-parameters") {
      const error = `Keys for idempotent requests can only be used with the same parameters they were first used with: refund key ${key}`;
      return answered({ status: 400, body: { error } }, { conflict: "other-parameters" });
    }
    if (state.kind === "stored") return answered(state.answer, { replay: true });
    if (!charge) {
      return answered({ status: 404, body: { error: `no successful charge under ${chargeKey}${transactionId ? ` with transaction ${transactionId}` : ""}` } });
    }
    if (charge.refunded) return answered({ status: 400, body: { error: `charge ${charge.transactionId} is already refunded` } });
    charge.refunded = true;
    const answer: Answer = { status: 200, body: { refunded: true, transactionId: charge.transactionId } };
    if (key !== null && !this.faults.forgetRefundKeys) {
      this.keys.begin(key, parameters);
      this.keys.end(key, answer);
    }
    const reset = this.faults.resetNextRefunds > 0;
    if (reset) this.faults.resetNextRefunds -= 1;
    return answered(answer, reset ? { reset } : {});
  }
}
