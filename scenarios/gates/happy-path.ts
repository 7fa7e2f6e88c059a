import { exactlyOnceCharge } from "../../harness/checkers/exactly-once-charge.js";
import { expectedStatuses, keysResolved, observationsHold, sameAnswerOnRetry } from "../../harness/checkers/expectations.js";
import { mapConvergence } from "../../harness/checkers/map-convergence.js";
import { noDoubleSale } from "../../harness/checkers/no-double-sale.js";
import { noLostBooking } from "../../harness/checkers/no-lost-booking.js";
import { type Gate } from "../gate.js";
import { observeSeat, recordCheckout, resolveIdempotencyKey } from "../workload.js";

/** A booking confirms and shows everywhere; a retried booking (same bookingId or idempotency key) books and pays once. */
export const happyPath: Gate = {
  name: "happy-path",
  needs: ["workerControl"],
  title: "a booking confirms, the ticket and the map show it SOLD, and a retry neither re-books nor re-charges",
  checkers: [noDoubleSale, noLostBooking, exactlyOnceCharge, mapConvergence, observationsHold, sameAnswerOnRetry, expectedStatuses, keysResolved],
  async run(context) {
    const { prefix, log } = context;
    const b = (name: string) => `${prefix}${name}`;
    const ok = { expectStatus: 200 };

    log("one booking, then the same booking retried");
    const one = { ticketId: b("one"), userId: "u-one", bookingId: b("booking-one") };
    await recordCheckout(context, "c1", one, ok);
    await observeSeat(context, b("one"), { ticket: "SOLD", map: "SOLD" }, "after the booking");
    await recordCheckout(context, "c1", one, ok);

    log("the same booking sent twice at once");
    const twice = { ticketId: b("twice"), userId: "u-twice", bookingId: b("booking-twice") };
    await Promise.all([recordCheckout(context, "c2", twice, ok), recordCheckout(context, "c3", twice, ok)]);

    log("the same booking by Restate's idempotency-key header, no bookingId");
    const key = b("booking-by-key");
    const byKey = { ticketId: b("key"), userId: "u-key" };
    await recordCheckout(context, "c4", byKey, { ...ok, idempotencyKey: key });
    await recordCheckout(context, "c4", byKey, { ...ok, idempotencyKey: key });
    await resolveIdempotencyKey(context, key);
    await observeSeat(context, b("key"), { ticket: "SOLD", map: "SOLD" }, "after the keyed booking");
  },
};
