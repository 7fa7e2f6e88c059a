import { exactlyOnceCharge } from "../../harness/checkers/exactly-once-charge.js";
import { expectStatuses, observationsHold } from "../../harness/checkers/expectations.js";
import { mapConvergence } from "../../harness/checkers/map-convergence.js";
import { noDoubleSale } from "../../harness/checkers/no-double-sale.js";
import { noLostBooking } from "../../harness/checkers/no-lost-booking.js";
import { observeSeat, recordCheckout, type Gate, type GateContext } from "../gate.js";

/** The hold TTL this gate runs the Worker with. */
export const HOLD_TTL_MS = 2_000;

/**
 * Booking `late` reserves the seat and its charge is held at the gateway until its hold has expired and booking
 * `winner` has bought the seat; then the charge is answered with `card`. The late booking must not take, free or
 * pay for the seat.
 */
async function lateChargeAfterExpiry(context: GateContext, seat: string, card: string, late: string, winner: string): Promise<void> {
  const held = context.stack.gateway.holdCharge(late);
  const lateCheckout = recordCheckout(context, "late", { ticketId: seat, userId: "u-late", paymentMethodId: card, bookingId: late });
  await held.arrived;
  await observeSeat(context, seat, { ticket: "AVAILABLE" }, `after ${late}'s hold expired during its charge`, HOLD_TTL_MS * 10);
  await recordCheckout(context, "winner", { ticketId: seat, userId: "u-winner", bookingId: winner });
  held.release();
  await lateCheckout;
  await observeSeat(context, seat, { ticket: "SOLD", map: "SOLD" }, `after ${late}'s late ${card} answer`);
}

/** Holds expire on time, an expired hold cannot be confirmed, and a late saga never touches the next buyer's seat. */
export const holdExpiry: Gate = {
  name: "hold-expiry",
  title: "holds expire, expired holds cannot be confirmed, late sagas leave the next buyer's seat alone",
  workerEnv: { HOLD_TTL_MS: String(HOLD_TTL_MS) },
  async run(context) {
    const { prefix, stack, history, log } = context;
    const b = (name: string) => `${prefix}${name}`;

    log("a bare hold expires by itself, and cannot be confirmed afterwards");
    const bare = b("bare");
    const reserve = history.invoke("bare", "reserve", { seatId: bare });
    const reserved = await stack.client.post(`/Ticket/${bare}/reserve`, '"u-bare"', { "content-type": "application/json" });
    history.complete(reserve, reserved.status === 200 ? "ok" : "fail", { status: reserved.status, body: reserved.body });
    await observeSeat(context, bare, { ticket: "AVAILABLE", map: "AVAILABLE" }, "after the bare hold's TTL", HOLD_TTL_MS * 10);
    const confirm = history.invoke("bare", "confirm", { seatId: bare });
    const confirmed = await stack.client.post(`/Ticket/${bare}/confirm`, undefined);
    history.complete(confirm, "fail", { status: confirmed.status, body: confirmed.body, expect: 409 });

    log("a charge that succeeds after its hold expired and the seat was sold: refused and refunded");
    await lateChargeAfterExpiry(context, b("late-success"), "card_success", b("late-paid"), b("winner-1"));
    log("a decline that arrives after its hold expired and the seat was sold: the compensation frees nothing");
    await lateChargeAfterExpiry(context, b("late-decline"), "card_decline", b("late-declined"), b("winner-2"));

    return [
      noDoubleSale,
      noLostBooking,
      exactlyOnceCharge,
      mapConvergence,
      observationsHold,
      expectStatuses({ [b("late-paid")]: 409, [b("winner-1")]: 200, [b("late-declined")]: 402, [b("winner-2")]: 200 }),
      {
        name: "bare-hold",
        check: (ops) => {
          const statuses = ops.filter((op) => op.process === "bare" && op.type !== "invoke").map((op) => `${op.f} ${String(op.value.status)}`);
          const expected = ["reserve 200", "confirm 409"];
          const ok = JSON.stringify(statuses) === JSON.stringify(expected);
          return { valid: ok, problems: ok ? [] : [`bare hold got ${statuses.join(", ")}, expected ${expected.join(", ")}`], stats: {} };
        },
      },
    ];
  },
};
