import type { Checker } from "../../harness/checkers/checker.js";
import { exactlyOnceCharge } from "../../harness/checkers/exactly-once-charge.js";
import { expectStatuses, observationsHold, sameAnswerOnRetry } from "../../harness/checkers/expectations.js";
import { mapConvergence } from "../../harness/checkers/map-convergence.js";
import { noDoubleSale } from "../../harness/checkers/no-double-sale.js";
import { noLostBooking } from "../../harness/checkers/no-lost-booking.js";
import { observeSeat, recordCheckout, resolveIdempotencyKey, type Gate } from "../gate.js";

/** The idempotency key became exactly one booking, and both calls with it were answered 200. */
function keyedBookingResolved(key: string): Checker {
  return {
    name: "keyed-booking",
    check(history) {
      const resolved = history.find((op) => op.f === "resolve-key" && op.value.idempotencyKey === key && op.type !== "invoke");
      const calls = history.filter((op) => op.f === "checkout" && op.type !== "invoke" && op.value.idempotencyKey === key);
      const problems: string[] = [];
      if (resolved?.type !== "ok") problems.push(`key ${key} did not become exactly one Checkout invocation (${JSON.stringify(resolved?.value)})`);
      if (calls.length !== 2 || calls.some((op) => op.value.status !== 200)) problems.push(`calls with key ${key} got HTTP ${calls.map((op) => op.value.status).join(",")}, expected 200,200`);
      return { valid: problems.length === 0, problems, stats: { calls: calls.length } };
    },
  };
}

/** A booking confirms and shows everywhere; a retried booking (same bookingId or idempotency key) books and pays once. */
export const happyPath: Gate = {
  name: "happy-path",
  title: "a booking confirms, the ticket and the map show it SOLD, and a retry neither re-books nor re-charges",
  async run(context) {
    const { prefix, log } = context;
    const b = (name: string) => `${prefix}${name}`;

    log("one booking, then the same booking retried");
    await recordCheckout(context, "c1", { ticketId: b("one"), userId: "u-one", bookingId: b("booking-one") });
    await observeSeat(context, b("one"), { ticket: "SOLD", map: "SOLD" }, "after the booking");
    await recordCheckout(context, "c1", { ticketId: b("one"), userId: "u-one", bookingId: b("booking-one") });

    log("the same booking sent twice at once");
    await Promise.all([
      recordCheckout(context, "c2", { ticketId: b("twice"), userId: "u-twice", bookingId: b("booking-twice") }),
      recordCheckout(context, "c3", { ticketId: b("twice"), userId: "u-twice", bookingId: b("booking-twice") }),
    ]);

    log("the same booking by Restate's idempotency-key header, no bookingId");
    const key = b("booking-by-key");
    const byKey = { ticketId: b("key"), userId: "u-key" };
    await recordCheckout(context, "c4", byKey, { idempotencyKey: key });
    await recordCheckout(context, "c4", byKey, { idempotencyKey: key });
    await resolveIdempotencyKey(context, key);
    await observeSeat(context, b("key"), { ticket: "SOLD", map: "SOLD" }, "after the keyed booking");

    return [
      noDoubleSale,
      noLostBooking,
      exactlyOnceCharge,
      mapConvergence,
      observationsHold,
      sameAnswerOnRetry,
      expectStatuses({ [b("booking-one")]: 200, [b("booking-twice")]: 200 }),
      keyedBookingResolved(key),
    ];
  },
};
