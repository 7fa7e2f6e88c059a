import * as restate from "@restatedev/restate-sdk-cloudflare-workers/fetch";
import { chargeFailure, pay, type BookingOrder } from "./charge.js";
import { configOf } from "./config.js";
import { BOOKING_CONFIRMED, chargeKeyOf, messages } from "./contract.js";
import { crashpoint } from "./crashpoint.js";
import { conflict } from "./errors.js";
import { sendEmail } from "./payments.js";
import { refundCharge } from "./refund.js";
import { ticket } from "./ticket.js";

/**
 * The saga of one booking: reserve → charge → confirm → email. A charge that was declined or never taken releases the
 * hold; a charge taken after the hold was lost is refunded. Every failure is a TerminalError whose text says what
 * happened to the money. The caller (the Booking object) runs it at most once per booking.
 */
export async function runBooking(ctx: restate.Context, order: BookingOrder): Promise<string> {
  const config = configOf(ctx);
  const { bookingId, ticketId, userId } = order;
  const seat = ctx.objectClient(ticket, ticketId);

  // "sold": this booking bought the seat in an earlier run that ended before it could record its answer.
  if ((await seat.reserve({ userId, bookingId })) === "sold") return BOOKING_CONFIRMED;
  await crashpoint(config, "after-reserve", bookingId);

  const key = chargeKeyOf(bookingId, ticketId);
  const payment = await pay(ctx, config, order, key);
  if (payment.kind !== "charged") {
    await seat.release({ bookingId });
    throw chargeFailure(payment);
  }

  try {
    await seat.confirm({ bookingId });
  } catch (error) {
    if (!(error instanceof restate.TerminalError)) throw error;
    // The hold was lost (expired, and maybe taken by someone else) while the card was charged: give the money back.
    await refundCharge(ctx, config, key, payment.transactionId);
    await seat.release({ bookingId });
    throw conflict(`${error.message}; ${messages.refunded}`);
  }

  await crashpoint(config, "after-confirm", bookingId);
  // The email is the last step, so it is not journaled: a journaled step costs a round trip to Restate and would
  // buy nothing, as no later step could skip it on a replay. Sent at least once either way.
  await crashpoint(config, "during-email", bookingId);
  await sendEmail(config, userId, ticketId);
  return BOOKING_CONFIRMED;
}
