import { expectedStatuses, keysResolved, observationsHold, sameAnswerOnRetry } from "../../harness/checkers/expectations.js";
import { mapConvergence } from "../../harness/checkers/map-convergence.js";
import { noDoubleSale } from "../../harness/checkers/no-double-sale.js";
import { noLostBooking } from "../../harness/checkers/no-lost-booking.js";
import type { Gate } from "../../harness/runner/gate.js";
import { observeSeat, recordCheckout, resolveIdempotencyKey } from "../../harness/runner/workload.js";

/**
 * A booking confirms and shows everywhere; a retried booking (same bookingId or idempotency key) books and pays once,
 * also after the gateway forgot its key; a booking id reused for another seat, user or card is refused (422) and
 * changes nothing; the buyer's second booking of the seat (a new booking id) is refused (409) and pays nothing; a
 * declined booking stays declined, and another card needs a new booking id.
 */
export const happyPath: Gate = {
  name: "happy-path",
  needs: ["workerControl"],
  title: "a booking confirms and shows SOLD; a retry neither re-books nor re-charges; a booking id names one booking",
  checkers: [noDoubleSale, noLostBooking, mapConvergence, observationsHold, sameAnswerOnRetry, expectedStatuses, keysResolved],
  async run(context) {
    const { prefix, log, stack } = context;
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

    log("the gateway forgets its keys (as Stripe does after 24 h); the confirmed booking retried again");
    stack.gateway.forgetKeys();
    await recordCheckout(context, "c1", one, ok);

    log("the confirmed booking's id for another seat, another user and another card: 422, nothing changes");
    const refused = { expectStatus: 422 };
    await recordCheckout(context, "c5", { ...one, ticketId: b("other-seat") }, refused);
    await recordCheckout(context, "c5", { ...one, userId: "u-other" }, refused);
    await recordCheckout(context, "c5", { ...one, paymentMethodId: "card_decline" }, refused);
    await observeSeat(context, b("other-seat"), { ticket: "AVAILABLE", map: "AVAILABLE" }, "after booking-one's id was used for it");

    log("the user who bought a seat books it again under a new booking id: 409, no second sale and no charge");
    await recordCheckout(context, "c7", { ...one, bookingId: b("booking-one-again") }, { expectStatus: 409 });
    await observeSeat(context, b("one"), { ticket: "SOLD", map: "SOLD" }, "after u-one's second booking of it");

    log("a declined booking retried: declined again; with another card: 422 (a new booking id pays with it)");
    const declined = { ticketId: b("declined"), userId: "u-declined", paymentMethodId: "card_decline", bookingId: b("booking-declined") };
    await recordCheckout(context, "c6", declined, { expectStatus: 402 });
    await recordCheckout(context, "c6", declined, { expectStatus: 402 });
    await recordCheckout(context, "c6", { ...declined, paymentMethodId: "card_success" }, refused);
    await recordCheckout(context, "c6", { ...declined, paymentMethodId: "card_success", bookingId: b("booking-declined-2") }, ok);
  },
};
