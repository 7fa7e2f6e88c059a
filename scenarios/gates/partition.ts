import { bookingsAnswered } from "../../harness/checkers/bookings-answered.js";
import { seatsSold } from "../../harness/checkers/expectations.js";
import { failureStatuses } from "../../harness/checkers/failure-statuses.js";
import { faultsApplied } from "../../harness/checkers/faults-applied.js";
import { mapConvergence } from "../../harness/checkers/map-convergence.js";
import { noDoubleSale } from "../../harness/checkers/no-double-sale.js";
import { noLostBooking } from "../../harness/checkers/no-lost-booking.js";
import { stallsAfterFaults } from "../../harness/history/stalls.js";
import { applyFault, bridge, isolateLeader, isolateOne, majorityMinority, type NetworkFault } from "../../harness/nemesis/partitions.js";
import { CLUSTER_PARTITIONS } from "../../harness/runtime/cluster-runtime.js";
import { partitionLeaders } from "../../harness/runtime/restatectl.js";
import type { NodeLinks } from "../../harness/runtime/runtime.js";
import { delay, waitFor } from "../../harness/system/wait.js";
import type { Gate, GateContext } from "../../harness/runner/gate.js";
import { bookInBlocks, nemesis } from "../../harness/runner/workload.js";

/**
 * Size of the run: bookings go in blocks, each block of `block` bookings racing for `seatsPerBlock` seats, so fresh
 * seats are contested whenever a link is cut. Declined cards go only to the last seat of each block. A client gives an
 * attempt `attemptTimeoutMs` before it retries through the next node's ingress with the same booking id and key.
 */
export const PARTITION_SIZE = {
  minBookings: 160,
  block: 40,
  seatsPerBlock: 4,
  inFlight: 12,
  declineShare: 0.4,
  attemptTimeoutMs: 5_000,
  holdMs: [6_000, 9_000] as const,
};

/** How many partitions have a leader, as the node that sees the most of them says (a node's view can lag after a heal). */
async function leadersSeen(links: NodeLinks): Promise<number> {
  const views = await Promise.all(links.nodes.map((node) => links.restatectl(["status"], node).catch(() => "")));
  return Math.max(...views.map(partitionLeaders));
}

/**
 * Heals every link and waits until every partition has a leader again, as `restatectl status` says on the node that
 * sees the most; the bound only stops a hang (a loaded machine can take minutes to settle leadership).
 */
async function healAndRecover(links: NodeLinks): Promise<{ targets: number; recoveredMs: number }> {
  const healed = Date.now();
  await links.healAll();
  await waitFor(async () => (await leadersSeen(links)) >= CLUSTER_PARTITIONS, {
    timeoutMs: 300_000,
    intervalMs: 500,
    what: `every one of the ${CLUSTER_PARTITIONS} partitions to have a leader after the heal`,
  });
  return { targets: 1, recoveredMs: Date.now() - healed };
}

/** The faults, one after another while bookings flow, each held a while and then healed. */
async function partitions(context: GateContext, links: NodeLinks): Promise<void> {
  const { random } = context;
  const nodes = links.nodes;
  const plan: Array<() => Promise<NetworkFault>> = [
    async () => isolateOne(random.pick(nodes), nodes),
    () => isolateLeader(links, random.pick(nodes)),
    async () => majorityMinority(nodes, random),
    async () => bridge(random.pick(nodes), nodes),
  ];
  for (const next of plan) {
    await delay(random.int(500, 1_500));
    const fault = await next();
    const holdMs = random.int(...PARTITION_SIZE.holdMs);
    await nemesis(context, fault.fault, { cuts: fault.cuts.map(([a, b]) => `${a}-${b}`), holdMs, ...fault.detail }, async () => {
      await applyFault(links, fault);
      return { targets: fault.cuts.length };
    });
    await delay(holdMs);
    await nemesis(context, "heal", {}, () => healAndRecover(links));
  }
}

/** The cluster's links are cut (one node, the leading node, a minority, a bridge) and healed while bookings race over a few seats. */
export const partition: Gate = {
  name: "partition",
  needs: ["networkFaults", "workerControl"],
  title: "links between cluster nodes cut and healed mid-flow: nothing lost, sold or charged twice, every booking answered",
  stack: { isolatedNodes: true, restateEnv: { RESTATE_DEFAULT_RETRY_POLICY__INITIAL_INTERVAL: "100ms", RESTATE_DEFAULT_RETRY_POLICY__MAX_INTERVAL: "1s" } },
  checkers: [noDoubleSale, noLostBooking, bookingsAnswered, mapConvergence, seatsSold, failureStatuses([409, 402]), faultsApplied],
  async run(context) {
    const { history, log, stack } = context;
    const links = stack.restate.links;
    if (links === undefined) throw new Error("the partition gate needs a cluster whose nodes run in network namespaces (isolatedNodes)");
    const { minBookings, block, seatsPerBlock, attemptTimeoutMs } = PARTITION_SIZE;
    for (const fault of ["isolate-one", "isolate-leader", "majority-minority", "bridge"]) history.expect("faults", { fault, min: 1 });
    history.expect("faults", { fault: "heal", min: 4 });
    log(
      `at least ${minBookings} bookings, ${block / seatsPerBlock} per seat, while links between the ${links.nodes.length} nodes are cut and healed four times`,
    );
    let faultsDone = false;
    const schedule = partitions(context, links).finally(() => (faultsDone = true));
    const [, made] = await Promise.all([schedule, bookInBlocks(context, PARTITION_SIZE, () => !faultsDone, { timeoutMs: attemptTimeoutMs, maxAttempts: 60 })]);
    log(`${made.bookings} bookings made over ${made.seats} seats`);
    for (const stall of stallsAfterFaults(history.ops)) {
      const first = stall.firstAnswerMs === undefined ? "no answer" : `${(stall.firstAnswerMs / 1000).toFixed(1)} s`;
      log(
        `after ${stall.fault} at ${(stall.at / 1000).toFixed(1)} s: first definite answer ${first}, longest silence ${(stall.longestSilenceMs / 1000).toFixed(1)} s`,
      );
    }
  },
};
