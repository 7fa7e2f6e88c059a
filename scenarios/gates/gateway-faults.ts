import { expectedStatuses, observationsHold } from "../../harness/checkers/expectations.js";
import { faultsApplied } from "../../harness/checkers/faults-applied.js";
import { mapConvergence } from "../../harness/checkers/map-convergence.js";
import { noDoubleSale } from "../../harness/checkers/no-double-sale.js";
import { noLostBooking } from "../../harness/checkers/no-lost-booking.js";
import type { FaultPlan } from "../../harness/gateway/gateway.js";
import type { LedgerEntry } from "../../harness/gateway/ledger.js";
import type { Gate, GateContext } from "../../harness/runner/gate.js";
import { nemesis, observeSeat, recordCheckout } from "../../harness/runner/workload.js";

/** The Worker's per-call gateway timeout in this gate; the slow phase answers later than this. */
const PAYMENT_TIMEOUT_MS = 1_000;

/** Runs `count` bookings at once on their own seats with `card`, each expecting `status`; returns their ids. */
async function bookAll(context: GateContext, phase: string, count: number, card: string, status: number): Promise<string[]> {
  const ids = Array.from({ length: count }, (_, i) => `${context.prefix}${phase}-b${i}`);
  await Promise.all(
    ids.map((id, i) =>
      recordCheckout(
        context,
        `${phase}-${i}`,
        { ticketId: `${id}-seat`, userId: `u-${phase}-${i}`, paymentMethodId: card, bookingId: id },
        { expectStatus: status },
      ),
    ),
  );
  return ids;
}

/** Runs `count` bookings (as bookAll) while the gateway follows `plan`; the plan is lifted afterwards, also on failure. */
async function bookUnderFaults(context: GateContext, plan: Partial<FaultPlan>, phase: string, count: number, card: string, status: number): Promise<string[]> {
  context.stack.gateway.setFaults(plan);
  try {
    return await bookAll(context, phase, count, card, status);
  } finally {
    context.stack.gateway.setFaults({});
  }
}

/** Ledger entries of the given bookings. */
function entriesOf(context: GateContext, ids: string[]): LedgerEntry[] {
  const set = new Set(ids);
  return context.stack.gateway.entries().filter((e) => e.bookingId !== null && set.has(e.bookingId));
}

/** How long a charge takes in the phase that outlasts the Worker's whole retry window (4 attempts, 1 s each at most). */
const OUTLASTING_MS = 6_000;

/**
 * The gateway misbehaves in five ways; the Worker's bounded retries absorb the transient ones, a charge that outlasts
 * them is found out before the booking is answered, and nothing is charged twice or kept by a failed booking.
 */
export const gatewayFaults: Gate = {
  name: "gateway-faults",
  needs: ["workerControl"],
  title: "503 bursts, answers slower than the timeout or than every retry, connection resets and late declines: one charge per booking",
  stack: { workerEnv: { PAYMENT_TIMEOUT_MS: String(PAYMENT_TIMEOUT_MS) } },
  checkers: [noDoubleSale, noLostBooking, mapConvergence, expectedStatuses, observationsHold, faultsApplied],
  async run(context) {
    const { history, log } = context;
    for (const fault of ["gateway-503-burst", "gateway-slower-than-timeout", "gateway-slower-than-retries", "gateway-reset", "gateway-late-decline"]) {
      history.expect("faults", { fault, min: 2 });
    }

    log("a burst of 503s, absorbed by the Worker's retries");
    await nemesis(context, "gateway-503-burst", { burst: 3 }, async () => {
      const ids = await bookUnderFaults(context, { failNextCharges: 3 }, "burst", 6, "card_success", 200);
      return { targets: entriesOf(context, ids).filter((e) => e.injected).length };
    });

    log("answers slower than the Worker's timeout: the retry is told the key is in flight, then gets the stored answer");
    await nemesis(context, "gateway-slower-than-timeout", { latencyMs: PAYMENT_TIMEOUT_MS + 500 }, async () => {
      const ids = await bookUnderFaults(context, { latencyMs: PAYMENT_TIMEOUT_MS + 500 }, "slow", 4, "card_success", 200);
      const retried = ids.filter((id) => entriesOf(context, [id]).filter((e) => e.kind === "charge").length >= 2);
      return { targets: retried.length };
    });

    log("charges slower than the Worker's whole retry window: the Worker asks the gateway what happened, then books");
    await nemesis(context, "gateway-slower-than-retries", { latencyMs: OUTLASTING_MS }, async () => {
      const ids = await bookUnderFaults(context, { latencyMs: OUTLASTING_MS }, "outlasting", 2, "card_success", 200);
      const lookedUp = ids.filter((id) => entriesOf(context, [id]).some((e) => e.kind === "lookup"));
      return { targets: lookedUp.length };
    });

    log("charges processed, then the connection reset instead of an answer");
    await nemesis(context, "gateway-reset", { resets: 3 }, async () => {
      const ids = await bookUnderFaults(context, { resetNextCharges: 3 }, "reset", 5, "card_success", 200);
      return { targets: entriesOf(context, ids).filter((e) => e.reset).length };
    });

    log("declines that come late");
    await nemesis(context, "gateway-late-decline", { latencyMs: 800 }, async () => {
      const ids = await bookUnderFaults(context, { latencyByMethodMs: { card_decline: 800 } }, "late-decline", 3, "card_decline", 402);
      for (const id of ids) await observeSeat(context, `${id}-seat`, { ticket: "AVAILABLE", map: "AVAILABLE" }, "after a late decline");
      return { targets: ids.length };
    });
  },
};
