import * as restate from "@restatedev/restate-sdk-cloudflare-workers/fetch";
import { configOf, type WorkerConfig } from "../../../worker/config.js";
import { BOOKING_CONFIRMED, chargeKeyOf, messages, TICKET_PRICE } from "../../../worker/contract.js";
import { crashpoint } from "../../../worker/crashpoint.js";
import { conflict, gatewayRefused, gatewayUnavailable, paymentDeclined, unprocessable } from "../../../worker/errors.js";
import { input } from "../../../worker/input.js";
import { chargeOnce, lookupCharges, sendEmail, type ChargeOutcome } from "../../../worker/payments.js";
import { refundCharge } from "../../../worker/refund.js";
import { bookingRequest, type BookingRequest } from "../../../worker/schemas.js";
import { defectOf } from "./defect.js";
import { seat } from "./seat.js";

/** What a Purchase stores (key `outcome`) once its booking ended: the request it is bound to and its answer (200: booked). */
interface Outcome {
  request: BookingRequest;
  status: number;
  message: string;
}

/** One booking as the saga runs it. */
type Order = BookingRequest & { bookingId: string };

const sameRequest = (a: BookingRequest, b: BookingRequest): boolean =>
  a.ticketId === b.ticketId && a.userId === b.userId && a.paymentMethodId === b.paymentMethodId;

const describe = (r: BookingRequest): string => `seat ${r.ticketId} for user ${r.userId}, paid with ${r.paymentMethodId}`;

/**
 * Charges the order once under its key: bounded retries, then, while the outcome is unknown (timeouts, resets, 5xx,
 * "still processing"), durable lookups of what the gateway did under the key until nothing there is processing.
 */
async function pay(ctx: restate.Context, config: WorkerConfig, order: Order, key: string): Promise<ChargeOutcome> {
  const { bookingId, ticketId, userId, paymentMethodId } = order;
  const retries = { maxRetryAttempts: config.paymentMaxAttempts, initialRetryInterval: config.paymentRetryIntervalMs };
  let lastError: string;
  try {
    return await ctx.run(
      "charge",
      async () => {
        const outcome = await chargeOnce(config, { idempotencyKey: key, amount: TICKET_PRICE, paymentMethodId, metadata: { bookingId, ticketId, userId } });
        await crashpoint(config, "after-charge-answer", bookingId);
        return outcome;
      },
      { ...retries, maxRetryDuration: config.paymentMaxRetryMs },
    );
  } catch (error) {
    if (!(error instanceof restate.TerminalError)) throw error;
    lastError = error.message;
  }
  for (let round = 0; ; round++) {
    const charges = await ctx
      .run("look up the charge", () => lookupCharges(config, key), retries)
      .catch((error: unknown) => {
        if (error instanceof restate.TerminalError) return undefined;
        throw error;
      });
    if (charges !== undefined && !charges.some((c) => c.state === "processing")) {
      const paid = charges.find((c) => c.state === "succeeded" && !c.refunded && c.transactionId !== null);
      if (paid) return { kind: "charged", transactionId: paid.transactionId! };
      if (charges.some((c) => c.state === "declined")) return { kind: "declined", detail: `Payment declined (Method: ${paymentMethodId})` };
      return { kind: "not-charged", detail: lastError };
    }
    await ctx.sleep(config.paymentReconcileIntervalMs * 2 ** Math.min(round, 3));
  }
}

/** The saga: reserve → charge → confirm → email; a charge not taken frees the hold, one taken after the hold was lost is refunded. */
async function book(ctx: restate.ObjectContext, order: Order): Promise<string> {
  const config = configOf(ctx);
  const { bookingId, ticketId, userId } = order;
  const place = ctx.objectClient(seat, ticketId);
  // "sold": this booking bought the seat in an earlier run that ended before it recorded its answer.
  if ((await place.reserve({ bookingId, userId })) === "sold") return BOOKING_CONFIRMED;
  await crashpoint(config, "after-reserve", bookingId);

  const key = chargeKeyOf(bookingId, ticketId);
  const payment = await pay(ctx, config, order, key);
  if (payment.kind !== "charged") {
    await place.release({ bookingId });
    if (payment.kind === "declined") throw paymentDeclined(payment.detail);
    if (payment.kind === "refused") throw gatewayRefused(payment.detail);
    throw gatewayUnavailable(payment.detail);
  }
  try {
    await place.confirm({ bookingId });
  } catch (error) {
    if (!(error instanceof restate.TerminalError)) throw error;
    await refundCharge(ctx, config, key, payment.transactionId);
    await place.release({ bookingId });
    throw conflict(`${error.message}; ${messages.refunded}`);
  }
  await crashpoint(config, "after-confirm", bookingId);
  await crashpoint(config, "during-email", bookingId);
  await sendEmail(config, userId, ticketId);
  return BOOKING_CONFIRMED;
}

export const purchase = restate.object({
  name: "Purchase",
  handlers: {
    /** Runs the booking once, or answers what it answered before; 422 when the id was used for another seat, user or card. */
    process: restate.handlers.object.exclusive(
      { input: input(bookingRequest), ingressPrivate: true },
      async (ctx: restate.ObjectContext, request: BookingRequest): Promise<string> => {
        const recorded = await ctx.get<Outcome>("outcome");
        if (recorded !== null) {
          if (sameRequest(recorded.request, request)) {
            if (recorded.status === 200) return recorded.message;
            throw new restate.TerminalError(recorded.message, { errorCode: recorded.status });
          }
          // DEFECT (SEAT_FIELDS_DEFECT=ignore-booking-id, tests only): a reused id is booked again for its new request.
          if (defectOf(ctx) !== "ignore-booking-id") {
            throw unprocessable(
              `Booking ${ctx.key} was made for ${describe(recorded.request)}; this request is for ${describe(request)}: a booking id names one booking, use a new one for another booking`,
            );
          }
        }
        try {
          const answer = await book(ctx, { ...request, bookingId: ctx.key });
          ctx.set<Outcome>("outcome", { request, status: 200, message: answer });
          return answer;
        } catch (error) {
          if (error instanceof restate.TerminalError) ctx.set<Outcome>("outcome", { request, status: error.code, message: error.message });
          throw error;
        }
      },
    ),
  },
});

export type Purchase = typeof purchase;
