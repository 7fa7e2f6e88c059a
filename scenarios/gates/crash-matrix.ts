import { expectedStatuses, seatsSold } from "../../harness/checkers/expectations.js";
import { faultsApplied } from "../../harness/checkers/faults-applied.js";
import { mapConvergence } from "../../harness/checkers/map-convergence.js";
import { noDoubleSale } from "../../harness/checkers/no-double-sale.js";
import { noLostBooking } from "../../harness/checkers/no-lost-booking.js";
import { delay } from "../../harness/system/wait.js";
import type { Gate, GateContext } from "../../harness/runner/gate.js";
import { checkoutUntilDefinite, nemesis } from "../../harness/runner/workload.js";

/** Where the Worker is killed: the Worker's own crash points, the gateway holding the charge, and a random moment. */
export const KILL_POINTS = ["after-reserve", "charge-in-flight", "after-charge-answer", "after-confirm", "during-email", "random"] as const;
export type KillPoint = (typeof KILL_POINTS)[number];

/** Bookings crashed at each point (at least 20, so every point is hit many times). */
export const BOOKINGS_PER_POINT = 20;

/**
 * Resolves with the bookings that stand at `point` now (held there until the Worker is killed), and what to do once
 * it is dead: charges held at the gateway are released then, so the gateway answers into closed sockets.
 */
async function standAt(context: GateContext, point: KillPoint, ids: string[], pending: Set<string>): Promise<{ victims: string[]; afterKill: () => void }> {
  const { stack, random } = context;
  if (point === "random") {
    // Charges take 400 ms in this row, so every booking is somewhere in its checkout at the random moment.
    stack.gateway.setFaults({ latencyMs: 400 });
    await delay(random.int(20, 380));
    return { victims: ids.filter((id) => pending.has(id)), afterKill: () => stack.gateway.setFaults({}) };
  }
  if (point === "charge-in-flight") {
    const holds = ids.map((id) => ({ id, hold: stack.gateway.holdCharge(id) }));
    const arrived: string[] = [];
    await Promise.race([Promise.all(holds.map(({ id, hold }) => hold.arrived.then(() => arrived.push(id)))), delay(15_000)]);
    return {
      victims: arrived,
      afterKill: () => {
        for (const { hold } of holds) hold.release();
      },
    };
  }
  return { victims: await stack.crashPoints!.arm(point, ids), afterKill: () => stack.crashPoints!.dropHeld() };
}

/** One row of the matrix: 20 bookings on their own seats; the Worker is SIGKILLed while they stand at `point`. */
async function crashAt(context: GateContext, point: KillPoint): Promise<void> {
  const { prefix, stack, history } = context;
  const ids = Array.from({ length: BOOKINGS_PER_POINT }, (_, i) => `${prefix}${point}-b${i}`);
  history.expect("sold", { seats: ids.map((id) => `${id}-seat`) });
  history.expect("faults", { fault: `kill-worker@${point}`, min: BOOKINGS_PER_POINT });
  const pending = new Set(ids);
  const standing = standAt(context, point, ids, pending);
  const checkouts = ids.map((id, i) =>
    checkoutUntilDefinite(
      context,
      `${point}-${i}`,
      { ticketId: `${id}-seat`, userId: `u-${point}-${i}`, bookingId: id },
      { idempotencyKey: id, expectStatus: 200 },
    ).finally(() => pending.delete(id)),
  );
  const { victims, afterKill } = await standing;
  await nemesis(context, `kill-worker@${point}`, { point, bookings: victims }, async () => {
    await stack.worker.kill();
    afterKill();
    const restarted = Date.now();
    await stack.worker.restart();
    return { targets: victims.length, restartMs: Date.now() - restarted };
  });
  await Promise.all(checkouts);
}

/** The Worker is killed at each step of a checkout; every booking still completes once, paid once, sold once. */
export const crashMatrix: Gate = {
  name: "crash-matrix",
  needs: ["workerControl", "crashPoints"],
  title: "a Worker killed at any step of a checkout neither loses, doubles nor double-charges a booking",
  stack: {
    crashPoints: true,
    // Retry a failed attempt soon (the Worker is back within a couple of seconds), and never give up on it.
    restateEnv: { RESTATE_DEFAULT_RETRY_POLICY__INITIAL_INTERVAL: "100ms", RESTATE_DEFAULT_RETRY_POLICY__MAX_INTERVAL: "1s" },
  },
  checkers: [noDoubleSale, noLostBooking, mapConvergence, seatsSold, expectedStatuses, faultsApplied],
  async run(context) {
    for (const point of KILL_POINTS) {
      context.log(`${BOOKINGS_PER_POINT} bookings, Worker killed at ${point}`);
      await crashAt(context, point);
    }
  },
};
