import { seatsSold } from "../../harness/checkers/expectations.js";
import { failureStatuses } from "../../harness/checkers/failure-statuses.js";
import { faultsApplied } from "../../harness/checkers/faults-applied.js";
import { mapConvergence } from "../../harness/checkers/map-convergence.js";
import { noDoubleSale } from "../../harness/checkers/no-double-sale.js";
import { noLostBooking } from "../../harness/checkers/no-lost-booking.js";
import { delay } from "../../harness/system/wait.js";
import type { Gate, GateContext } from "../../harness/runner/gate.js";
import { bookInBlocks, nemesis } from "../../harness/runner/workload.js";

/**
 * Size of the run (at least 10 kills while at least 200 bookings flow over a handful of seats).
 * Bookings go in blocks: each block of `block` bookings races for `seatsPerBlock` seats, so fresh seats are contested
 * (and sagas are mid-payment) whenever a fault strikes, however long the faults take. Declined cards go only to the
 * last seat of each block (`declineShare` of its contenders): there a decliner's hold may turn every paying contender
 * away and the seat rightly stays unsold; every other seat has only paying contenders, so it must sell.
 */
export const RESTATE_CRASH_SIZE = { kills: 10, minBookings: 240, block: 60, seatsPerBlock: 4, inFlight: 16, declineShare: 0.4 };

/** The faults, one after another, while bookings flow: SIGKILLs, then a graceful restart, then a pause. */
async function faults(context: GateContext): Promise<void> {
  const { stack, random } = context;
  for (let kill = 1; kill <= RESTATE_CRASH_SIZE.kills; kill++) {
    await delay(random.int(300, 1_200));
    await nemesis(context, "kill-restate", { kill }, async () => {
      await stack.restate.kill();
      await delay(random.int(100, 400));
      const restarted = Date.now();
      await stack.restate.restart();
      return { targets: 1, readyMs: Date.now() - restarted };
    });
  }
  await delay(random.int(300, 800));
  await nemesis(context, "restart-restate", {}, async () => {
    await stack.restate.restart();
    return { targets: 1 };
  });
  await delay(random.int(300, 800));
  const pauseMs = random.int(1_500, 2_500);
  await nemesis(context, "pause-restate", { pauseMs }, async () => {
    await stack.restate.pause();
    await delay(pauseMs);
    await stack.restate.resume();
    return { targets: 1 };
  });
}

/** Restate is SIGKILLed ten times, restarted gracefully and paused while bookings race over a few seats. */
export const restateCrash: Gate = {
  name: "restate-crash",
  needs: ["restateFaults", "workerControl"],
  title: "Restate killed, restarted and paused mid-flow: nothing lost, nothing sold or charged twice",
  stack: { restateEnv: { RESTATE_DEFAULT_RETRY_POLICY__INITIAL_INTERVAL: "100ms", RESTATE_DEFAULT_RETRY_POLICY__MAX_INTERVAL: "1s" } },
  checkers: [noDoubleSale, noLostBooking, mapConvergence, seatsSold, failureStatuses([409, 402]), faultsApplied],
  async run(context) {
    const { history, log } = context;
    const { kills, minBookings, block, seatsPerBlock } = RESTATE_CRASH_SIZE;
    history.expect("faults", { fault: "kill-restate", min: kills });
    history.expect("faults", { fault: "restart-restate", min: 1 });
    history.expect("faults", { fault: "pause-restate", min: 1 });
    log(`at least ${minBookings} bookings, ${block / seatsPerBlock} per seat, while Restate is killed ${kills} times, restarted and paused`);
    let faultsDone = false;
    const schedule = faults(context).finally(() => (faultsDone = true));
    const [, made] = await Promise.all([schedule, bookInBlocks(context, RESTATE_CRASH_SIZE, () => !faultsDone, { timeoutMs: 20_000 })]);
    log(`${made.bookings} bookings made over ${made.seats} seats`);
  },
};
