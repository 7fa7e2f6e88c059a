import { chargeAttempts, expectedStatuses, observationsHold } from "../../harness/checkers/expectations.js";
import { mapConvergence } from "../../harness/checkers/map-convergence.js";
import { noDoubleSale } from "../../harness/checkers/no-double-sale.js";
import { noLostBooking } from "../../harness/checkers/no-lost-booking.js";
import type { Gate } from "../../harness/runner/gate.js";
import { observeSeat, recordCheckout } from "../../harness/runner/workload.js";

/** A declined card and a failing gateway leave the seat free, charge nothing, and answer 402 and 503. */
export const declineCompensation: Gate = {
  name: "decline-compensation",
  needs: ["workerControl"],
  title: "a declined or failed payment releases the seat, charges nothing, and answers 402 / 503",
  checkers: [noDoubleSale, noLostBooking, mapConvergence, observationsHold, expectedStatuses, chargeAttempts],
  async run(context) {
    const { prefix, stack, log, history } = context;
    const maxAttempts = Number(stack.workerEnv.PAYMENT_MAX_ATTEMPTS);
    const b = (name: string) => `${prefix}${name}`;
    const attempts = (bookingId: string, min: number, max: number) => history.expect("charge-attempts", { bookingId, min, max });

    log("a declined card, then another user on the same seat");
    attempts(b("declined"), 1, 1);
    await recordCheckout(
      context,
      "c1",
      { ticketId: b("decline"), userId: "u-declined", paymentMethodId: "card_decline", bookingId: b("declined") },
      { expectStatus: 402 },
    );
    await observeSeat(context, b("decline"), { ticket: "AVAILABLE", map: "AVAILABLE" }, "after a declined card");
    await recordCheckout(context, "c2", { ticketId: b("decline"), userId: "u-next", bookingId: b("after-decline") }, { expectStatus: 200 });

    log("a gateway that fails every attempt, then recovers");
    attempts(b("gateway-down"), 2, maxAttempts);
    stack.gateway.setFaults({ failAllCharges: true });
    await recordCheckout(context, "c3", { ticketId: b("down"), userId: "u-down", bookingId: b("gateway-down") }, { expectStatus: 503 });
    stack.gateway.setFaults({});
    await observeSeat(context, b("down"), { ticket: "AVAILABLE", map: "AVAILABLE" }, "after the gateway failed every attempt");
    await recordCheckout(context, "c4", { ticketId: b("down"), userId: "u-next", bookingId: b("after-down") }, { expectStatus: 200 });

    log("two transient gateway failures, absorbed by retries");
    attempts(b("flaky"), 3, 3);
    stack.gateway.setFaults({ failNextCharges: 2 });
    await recordCheckout(context, "c5", { ticketId: b("flaky"), userId: "u-flaky", bookingId: b("flaky") }, { expectStatus: 200 });
    stack.gateway.setFaults({});

    log("the contract's card_error method");
    attempts(b("card-error"), 2, maxAttempts);
    await recordCheckout(
      context,
      "c6",
      { ticketId: b("card-error"), userId: "u-error", paymentMethodId: "card_error", bookingId: b("card-error") },
      { expectStatus: 503 },
    );
    await observeSeat(context, b("card-error"), { ticket: "AVAILABLE", map: "AVAILABLE" }, "after card_error");
  },
};
