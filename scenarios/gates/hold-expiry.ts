import { exactlyOnceCharge } from "../../harness/checkers/exactly-once-charge.js";
import { expectedStatuses, observationsHold } from "../../harness/checkers/expectations.js";
import { mapConvergence } from "../../harness/checkers/map-convergence.js";
import { noDoubleSale } from "../../harness/checkers/no-double-sale.js";
import { noLostBooking } from "../../harness/checkers/no-lost-booking.js";
import type { Gate, GateContext } from "../../harness/runner/gate.js";
import { observeSeat, recordCheckout, recordRaw } from "../../harness/runner/workload.js";

/** The hold TTL this gate runs the Worker with. */
export const HOLD_TTL_MS = 2_000;

/**
 * Booking `late` reserves the seat and its charge is held at the gateway until its hold has expired and booking
 * `winner` has bought the seat; then the charge is answered with `card`. The late booking must not take, free or
 * pay for the seat.
 */
async function lateChargeAfterExpiry(
  context: GateContext,
  seat: string,
  card: string,
  late: { bookingId: string; expectStatus: number },
  winner: string,
): Promise<void> {
  const held = context.stack.gateway.holdCharge(late.bookingId);
  const lateCheckout = recordCheckout(
    context,
    "late",
    { ticketId: seat, userId: "u-late", paymentMethodId: card, bookingId: late.bookingId },
    { expectStatus: late.expectStatus },
  );
  await held.arrived;
  await observeSeat(context, seat, { ticket: "AVAILABLE" }, `after ${late.bookingId}'s hold expired during its charge`, HOLD_TTL_MS * 10);
  await recordCheckout(context, "winner", { ticketId: seat, userId: "u-winner", bookingId: winner }, { expectStatus: 200 });
  held.release();
  await lateCheckout;
  await observeSeat(context, seat, { ticket: "SOLD", map: "SOLD" }, `after ${late.bookingId}'s late ${card} answer`);
}

/**
 * Booking `id` reserves the seat and its charge is held at the gateway until its hold has expired; then the charge
 * succeeds, the booking is refused (409) and refunded. Retried while the seat is still free, it gets the same answer,
 * and neither holds nor pays for the seat again.
 */
async function refundedThenRetried(context: GateContext, seat: string, id: string): Promise<void> {
  const held = context.stack.gateway.holdCharge(id);
  const input = { ticketId: seat, userId: "u-refunded", bookingId: id };
  const first = recordCheckout(context, "refunded", input, { expectStatus: 409 });
  await held.arrived;
  await observeSeat(context, seat, { ticket: "AVAILABLE" }, `after ${id}'s hold expired during its charge`, HOLD_TTL_MS * 10);
  held.release();
  await first;
  await recordCheckout(context, "refunded", input, { expectStatus: 409 });
  await observeSeat(context, seat, { ticket: "AVAILABLE", map: "AVAILABLE" }, `after the refunded ${id} was retried`);
}

/**
 * Booking `id`'s charge succeeds after its hold expired, so it must be refunded, and the refund meets every fault a
 * gateway has: a 503, then a refund made whose answer is lost, then a retry the gateway no longer knows by its key
 * ("already refunded"). The booking is still answered 409 and refunded exactly once.
 */
async function refundUnderFaults(context: GateContext, seat: string, id: string): Promise<void> {
  const { gateway } = context.stack;
  const held = gateway.holdCharge(id);
  const refunded = recordCheckout(context, "refund-faults", { ticketId: seat, userId: "u-refund-faults", bookingId: id }, { expectStatus: 409 });
  await held.arrived;
  await observeSeat(context, seat, { ticket: "AVAILABLE" }, `after ${id}'s hold expired during its charge`, HOLD_TTL_MS * 10);
  gateway.setFaults({ failNextRefunds: 1, resetNextRefunds: 1, forgetRefundKeys: true });
  held.release();
  try {
    await refunded;
  } finally {
    gateway.setFaults({});
  }
  await observeSeat(context, seat, { ticket: "AVAILABLE", map: "AVAILABLE" }, `after ${id} was refunded through the gateway's faults`);
}

/** Holds expire on time, an expired hold cannot be confirmed, and a late saga never touches the next buyer's seat. */
export const holdExpiry: Gate = {
  name: "hold-expiry",
  needs: ["workerControl", "demoApi", "expiringHolds"],
  title:
    "holds expire, expired holds cannot be confirmed, late sagas leave the next buyer's seat alone, refunded bookings stay refused, refunds survive gateway faults",
  // The proof of concept's bare reserve/confirm are called through the ingress: the demo's public API.
  stack: { workerEnv: { HOLD_TTL_MS: String(HOLD_TTL_MS), PUBLIC_DEMO_API: "true" } },
  checkers: [noDoubleSale, noLostBooking, mapConvergence, observationsHold, expectedStatuses, exactlyOnceCharge],
  async run(context) {
    const { prefix, log } = context;
    const b = (name: string) => `${prefix}${name}`;

    log("a bare hold expires by itself, and cannot be confirmed afterwards");
    const bare = b("bare");
    await recordRaw(context, "bare", "reserve", { seatId: bare, path: `/Ticket/${bare}/reserve`, body: '"u-bare"', expectStatus: 200 });
    await observeSeat(context, bare, { ticket: "AVAILABLE", map: "AVAILABLE" }, "after the bare hold's TTL", HOLD_TTL_MS * 10);
    await recordRaw(context, "bare", "confirm", { seatId: bare, path: `/Ticket/${bare}/confirm`, expectStatus: 409 });

    log("a charge that succeeds after its hold expired and the seat was sold: refused and refunded");
    await lateChargeAfterExpiry(context, b("late-success"), "card_success", { bookingId: b("late-paid"), expectStatus: 409 }, b("winner-1"));
    log("a decline that arrives after its hold expired and the seat was sold: the compensation frees nothing");
    await lateChargeAfterExpiry(context, b("late-decline"), "card_decline", { bookingId: b("late-declined"), expectStatus: 402 }, b("winner-2"));
    log("a booking refunded after its hold expired, retried while the seat is free: the same 409, no new hold or charge");
    await refundedThenRetried(context, b("refunded"), b("refunded-booking"));
    log("a refund answered 503, then made with its answer lost, then retried under a forgotten key: refunded once, answered 409");
    await refundUnderFaults(context, b("refund-faults"), b("refund-faults-booking"));
  },
};
