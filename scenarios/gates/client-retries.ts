import { expectedStatuses, sameAnswerOnRetry, seatsSold } from "../../harness/checkers/expectations.js";
import { faultsApplied } from "../../harness/checkers/faults-applied.js";
import { mapConvergence } from "../../harness/checkers/map-convergence.js";
import { noDoubleSale } from "../../harness/checkers/no-double-sale.js";
import { noLostBooking } from "../../harness/checkers/no-lost-booking.js";
import type { Gate } from "../../harness/runner/gate.js";
import { checkoutUntilDefinite, nemesis } from "../../harness/runner/workload.js";

/** Bookings per kind of client (with the idempotency-key header, and with the bookingId alone). */
const PER_KIND = 10;

/** Clients give up waiting after 300 ms while charges take 1.2 s, and retry: each booking still happens once. */
export const clientRetries: Gate = {
  name: "client-retries",
  needs: ["workerControl"],
  title: "clients that time out and retry (same bookingId, with or without idempotency key) book and pay once",
  checkers: [noDoubleSale, noLostBooking, mapConvergence, seatsSold, expectedStatuses, sameAnswerOnRetry, faultsApplied],
  async run(context) {
    const { prefix, stack, history, log } = context;
    const kinds = [
      { kind: "keyed", withKey: true },
      { kind: "bare", withKey: false },
    ];
    const seats = kinds.flatMap(({ kind }) => Array.from({ length: PER_KIND }, (_, i) => `${prefix}${kind}-${i}`));
    history.expect("sold", { seats });
    history.expect("faults", { fault: "client-timeouts", min: PER_KIND });
    log(`${seats.length} bookings whose clients time out after 300 ms while charges take 1.2 s`);
    await nemesis(context, "client-timeouts", { clientTimeoutMs: 300, gatewayLatencyMs: 1_200 }, async () => {
      stack.gateway.setFaults({ latencyMs: 1_200 });
      const finals = await Promise.all(
        kinds.flatMap(({ kind, withKey }) =>
          Array.from({ length: PER_KIND }, (_, i) => {
            const bookingId = `${prefix}${kind}-b${i}`;
            const input = { ticketId: `${prefix}${kind}-${i}`, userId: `u-${kind}-${i}`, bookingId };
            return checkoutUntilDefinite(context, `${kind}-${i}`, input, {
              idempotencyKey: withKey ? bookingId : undefined,
              timeoutMs: 300,
              expectStatus: 200,
            });
          }),
        ),
      );
      stack.gateway.setFaults({});
      const timedOut = new Set(history.ops.filter((op) => op.f === "checkout" && op.type === "info").map((op) => op.value.bookingId));
      return { targets: timedOut.size, bookings: finals.length };
    });
  },
};
