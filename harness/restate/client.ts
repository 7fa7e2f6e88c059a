import * as clients from "@restatedev/restate-sdk-clients";
import type { Checkout } from "../../worker/checkout.js";
import type { Ticket, TicketView } from "../../worker/ticket.js";
import { authHeaders } from "./auth.js";

/** A checkout as a client sends it. */
export interface CheckoutInput {
  ticketId: string;
  userId: string;
  paymentMethodId?: string;
  bookingId?: string;
}

/** What came back: an HTTP status and body, or `status: 0` and `error` when no answer came (network, timeout). */
export interface CallResult {
  status: number;
  body: string;
  error?: string;
}

/** Options of one call. */
export interface CallOptions {
  idempotencyKey?: string;
  timeoutMs?: number;
}

// The Worker's service definitions by name (types only: the Worker's code runs in workerd, not here).
const CHECKOUT: Checkout = { name: "Checkout" };
const TICKET: Ticket = { name: "Ticket" };

function failureOf(error: unknown): CallResult {
  if (error instanceof clients.HttpCallError) return { status: error.status, body: error.responseText };
  return { status: 0, body: "", error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
}

/**
 * Talks to the booking system through Restate's ingress, the way a user's client does. Given several ingress URLs
 * (a cluster), it spreads its calls over them in turn, so a retry after a failed call goes to another node.
 */
export class BookingClient {
  private readonly ingresses: Array<{ url: string; client: clients.Ingress }>;
  private turn = 0;

  constructor(ingressUrls: string[]) {
    this.ingresses = ingressUrls.map((url) => ({ url, client: clients.connect({ url, headers: authHeaders(url) }) }));
  }

  private next(): { url: string; client: clients.Ingress } {
    return this.ingresses[this.turn++ % this.ingresses.length]!;
  }

  /** `Checkout/process`; never throws: failures come back as a CallResult. */
  async checkout(input: CheckoutInput, options: CallOptions = {}): Promise<CallResult> {
    try {
      const opts = clients.rpc.opts<CheckoutInput, string>({ idempotencyKey: options.idempotencyKey, timeout: options.timeoutMs ?? 30_000 });
      const result = await this.next().client.serviceClient(CHECKOUT).process(input, opts);
      return { status: 200, body: JSON.stringify(result) };
    } catch (error) {
      return failureOf(error);
    }
  }

  /** `Ticket/{seatId}/get`: the seat's public view (throws when the call fails). */
  async ticket(seatId: string): Promise<TicketView> {
    return this.next().client.objectClient(TICKET, seatId).get({});
  }

  /** A raw POST to the ingress (`path` like `/Ticket/seat-1/reserve`), for malformed requests the typed client cannot make. */
  async post(path: string, body: string | undefined, headers: Record<string, string> = {}): Promise<CallResult> {
    try {
      const { url } = this.next();
      const response = await fetch(`${url}${path}`, {
        method: "POST",
        headers: { ...authHeaders(url), ...headers },
        body,
        signal: AbortSignal.timeout(30_000),
      });
      return { status: response.status, body: await response.text() };
    } catch (error) {
      return failureOf(error);
    }
  }
}
