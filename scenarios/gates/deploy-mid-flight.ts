import { bookingsAnswered } from "../../harness/checkers/bookings-answered.js";
import { seatsSold } from "../../harness/checkers/expectations.js";
import { failureStatuses } from "../../harness/checkers/failure-statuses.js";
import { journalCompatible } from "../../harness/checkers/journal-compatible.js";
import { latestAsIntended } from "../../harness/checkers/latest-as-intended.js";
import { mapConvergence } from "../../harness/checkers/map-convergence.js";
import { noDoubleSale } from "../../harness/checkers/no-double-sale.js";
import { noLostBooking } from "../../harness/checkers/no-lost-booking.js";
import { oneVersionPerInvocation } from "../../harness/checkers/one-version-per-invocation.js";
import {
  DEPLOY_PROCEDURES,
  deployProcedure,
  serverUpgradeProcedure,
  UPGRADE_PROCEDURES,
  type DeployProcedure,
  type DeployProcedureName,
  type UpgradeProcedureName,
  type WorkerVersion,
} from "../../harness/deploy/procedures.js";
import type { DeployStep } from "../../harness/history/deploys.js";
import type { Op } from "../../harness/history/history.js";
import { isIngressReady } from "../../harness/restate/admin.js";
import { readInFlight, readInvocationRuns, readLatestDeployments, watchInvocationFailures, type FailureWatch } from "../../harness/restate/deployment-reads.js";
import type { RestateBinary } from "../../harness/runtime/runtime.js";
import type { Stack } from "../../harness/stack/stack.js";
import { NexusError } from "../../harness/system/errors.js";
import { delay, waitFor } from "../../harness/system/wait.js";
import type { Gate, GateContext } from "../../harness/runner/gate.js";
import { checkoutUntilDefinite, nemesis } from "../../harness/runner/workload.js";

/**
 * Size of the run: seats whose first booking's charge the gateway holds until the new version is in (each with
 * contenders queued behind it), in two groups reached at two steps, then fresh seats booked after the cut-over and
 * after the procedure's last step.
 */
export const DEPLOY_SIZE = { reconciling: 2, charging: 2, contenders: 3, afterCutOver: 3, afterFinish: 2, laterContenders: 2 };

/** A booking that gets no answer is retried once with its id: a stuck one costs the run this twice. */
const ATTEMPTS: Attempts = { timeoutMs: 15_000, maxAttempts: 2 };

/** How a deploy gate's clients retry: attempts, each attempt's bound, and whether a retry first waits for Restate to answer. */
interface Attempts {
  timeoutMs: number;
  maxAttempts: number;
  waitForRestate?: boolean;
}

/**
 * Through a server upgrade a client's connection drops while Restate is down: it waits for Restate's ingress to
 * answer again (at most RESTATE_BACK_MS) before each retry, so how long the restart takes never costs an attempt.
 */
const UPGRADE_ATTEMPTS: Attempts = { timeoutMs: 15_000, maxAttempts: 5, waitForRestate: true };

/** How long a client waits for Restate to answer again before it retries anyway (and likely records no answer). */
const RESTATE_BACK_MS = 120_000;

/**
 * Short payment steps, so a held charge outlasts the Worker's bounded retries and its booking reconciles (asks the
 * gateway, sleeps durably, asks again) while the deploy happens; the gateway's hold decides when money moves.
 */
const DEPLOY_WORKER_ENV = {
  PAYMENT_TIMEOUT_MS: "1000",
  PAYMENT_MAX_ATTEMPTS: "2",
  PAYMENT_RETRY_INTERVAL_MS: "200",
  PAYMENT_MAX_RETRY_MS: "2000",
  PAYMENT_RECONCILE_INTERVAL_MS: "500",
};

/** Restate retries a failing invocation quickly and pauses it after 20 attempts (about 15 s), as a bounded policy does. */
const DEPLOY_RESTATE_ENV = {
  RESTATE_DEFAULT_RETRY_POLICY__INITIAL_INTERVAL: "100ms",
  RESTATE_DEFAULT_RETRY_POLICY__MAX_INTERVAL: "1s",
  RESTATE_DEFAULT_RETRY_POLICY__MAX_ATTEMPTS: "20",
  RESTATE_DEFAULT_RETRY_POLICY__ON_MAX_ATTEMPTS: "pause",
};

/** How long the workload waits for a held booking to reach its durable sleep; a Worker that reconciles otherwise goes on without. */
const SLEEP_WAIT_MS = 20_000;

/** One step of the procedure, recorded as a nemesis op "deploy", then what Restate says the latest deployments are. */
async function deployStep(context: GateContext, procedure: string, step: string, action: () => Promise<DeployStep>): Promise<void> {
  await nemesis(context, "deploy", { step, procedure }, async () => ({ targets: 1, ...(await action()) }));
  const op = context.history.invoke("observer", "latest", { step });
  context.history.complete(op, "ok", { services: await readLatestDeployments(context.stack.restate.adminUrl) });
}

/** Seats of one group, each booked by `contenders` clients at once; with `held`, the gateway holds every charge of theirs. */
function bookGroup(
  context: GateContext,
  group: string,
  seats: number,
  contenders: number,
  held: boolean,
  attempts: Attempts,
): { bookings: Promise<Op>[]; seats: string[]; firstCharges: Promise<void> } {
  const { prefix, stack } = context;
  const { waitForRestate, ...bounds } = attempts;
  // waitFor counts a probe that throws (nothing listening yet) as "not yet".
  const restateAnswers = () => isIngressReady(stack.restate.ingressUrl);
  const beforeRetry = waitForRestate
    ? async () => {
        await waitFor(restateAnswers, { timeoutMs: RESTATE_BACK_MS, intervalMs: 100, what: "Restate's ingress to answer again" }).catch(() => undefined);
      }
    : undefined;
  const seatIds = Array.from({ length: seats }, (_, i) => `${prefix}${group}-s${i}`);
  const arrivals: Promise<void>[] = [];
  const bookings = seatIds.flatMap((seat) => {
    const ids = Array.from({ length: contenders }, (_, j) => `${seat}-b${j}`);
    if (held) arrivals.push(Promise.any(ids.map((id) => stack.gateway.holdCharge(id).arrived)));
    return ids.map((bookingId, j) =>
      checkoutUntilDefinite(
        context,
        `${group}-${j}`,
        { ticketId: seat, userId: `u-${bookingId}`, bookingId },
        { idempotencyKey: bookingId, ...bounds, beforeRetry },
      ),
    );
  });
  // Each seat's first charge reached the gateway (bounded: a Worker that charged none is judged on what it did).
  const firstCharges = Promise.race([Promise.all(arrivals).then(() => undefined), delay(15_000)]);
  return { bookings, seats: seatIds, firstCharges };
}

/** Records what is in flight, by the step it waits at, as the new version goes in (observer op "in-flight"). */
async function observeInFlight(context: GateContext): Promise<void> {
  const op = context.history.invoke("observer", "in-flight", {});
  context.history.complete(op, "ok", { counts: await readInFlight(context.stack.restate.adminUrl) });
}

/** The deploy gate as it is judged (its checkers and stack), whatever the next version and the procedure: `nexus check` re-judges a stored run with it. */
export const DEPLOY_JUDGED: Gate = {
  name: "deploy-mid-flight",
  title: "bookings in flight through a deploy: nothing lost, sold or charged twice, every booking answered, each invocation on one version",
  needs: ["workerControl", "restateSettings"],
  stack: { workerEnv: DEPLOY_WORKER_ENV, restateEnv: DEPLOY_RESTATE_ENV },
  checkers: [
    noDoubleSale,
    noLostBooking,
    seatsSold,
    bookingsAnswered,
    failureStatuses([409]),
    mapConvergence,
    journalCompatible,
    oneVersionPerInvocation,
    latestAsIntended,
  ],
  run: () => Promise.reject(new NexusError("usage", "the deploy gate runs with a next version of the Worker: nexus deploy-check")),
};

/** What one kind of deploy gate is: its name and title, its procedure over the stack, and how its clients retry. */
interface MidFlightSpec {
  name: string;
  title: string;
  /** The first line the gate logs: what it deploys, how. */
  announce: string;
  /** The procedure's name in the history's deploy steps. */
  procedureName: string;
  procedure: (stack: Stack) => DeployProcedure;
  attempts: Attempts;
  stack?: Gate["stack"];
  needs?: Gate["needs"];
}

/**
 * The deploy gates' workload around `spec.procedure`'s three steps, while bookings are in flight at every kind of
 * step: checkouts suspended awaiting their seat's answer, seats' bookings charging (the gateway holds the charge) and
 * reconciling (a durable sleep between lookups), contenders queued behind a seat's lock. Judged as DEPLOY_JUDGED
 * says. Each call makes a gate for one run (it keeps that run's failure watch).
 */
function midFlightGate(spec: MidFlightSpec): Gate {
  // Failures show only while an invocation is retried: they are watched from the first booking to the quiet end.
  let failures: FailureWatch | undefined;
  return {
    ...DEPLOY_JUDGED,
    name: spec.name,
    title: spec.title,
    needs: [...(DEPLOY_JUDGED.needs ?? []), ...(spec.needs ?? [])],
    stack: { ...DEPLOY_JUDGED.stack, ...spec.stack },
    async run(context) {
      const { stack, history, log } = context;
      const { reconciling, charging, contenders, afterCutOver, afterFinish, laterContenders } = DEPLOY_SIZE;
      const procedure: DeployProcedure = spec.procedure(stack);
      const step = (name: string, action: () => Promise<DeployStep>) => deployStep(context, spec.procedureName, name, action);
      const group = (name: string, seats: number, perSeat: number, held: boolean) => bookGroup(context, name, seats, perSeat, held, spec.attempts);
      log(spec.announce);
      await step("prepare", () => procedure.prepare());
      const watch = watchInvocationFailures(stack.restate.adminUrl);
      failures = watch;
      stack.adopt(async () => void (await watch.stop()));
      const first = group("reconciling", reconciling, contenders, true);
      await first.firstCharges;
      await waitFor(async () => (await readInFlight(stack.restate.adminUrl)).sleeping! >= reconciling, {
        timeoutMs: SLEEP_WAIT_MS,
        intervalMs: 100,
        what: "the held bookings to reconcile",
      }).catch(() => log(`no held booking reached a durable sleep in ${SLEEP_WAIT_MS / 1000} s: deploying without one`));
      const second = group("charging", charging, contenders, true);
      await second.firstCharges;
      await observeInFlight(context);
      await step("cut-over", () => procedure.cutOver());
      stack.gateway.releaseHolds();
      const third = group("after-cut-over", afterCutOver, laterContenders, false);
      // The last step begins at once: the versioned procedure's drain of the old version is timed from here.
      await step("finish", () => procedure.finish());
      await Promise.all([...first.bookings, ...second.bookings, ...third.bookings]);
      const fourth = group("after-finish", afterFinish, laterContenders, false);
      await Promise.all(fourth.bookings);
      // Every contender pays with a card that works: each seat sells to one of them.
      history.expect("sold", { seats: [first, second, third, fourth].flatMap((g) => g.seats) });
    },
    async observeQuiet(context) {
      const admin = context.stack.restate.adminUrl;
      const runs = await readInvocationRuns(admin);
      context.history.complete(context.history.invoke("observer", "invocation-runs", {}), "ok", { runs });
      const seen = (await failures?.stop()) ?? [];
      context.history.complete(context.history.invoke("observer", "invocation-failures", {}), "ok", { failures: seen });
    },
  };
}

/**
 * Deploys `next` over the Worker under test by `procedureName` while bookings are in flight (see midFlightGate).
 * Judged by the booking invariants, every booking answered, no journal mismatch, every invocation on one version of
 * the code, and Restate sending new invocations where the procedure meant. Only `versioned` is meant to pass.
 */
export function deployMidFlight(next: WorkerVersion, procedureName: DeployProcedureName): Gate {
  return midFlightGate({
    name: `${DEPLOY_JUDGED.name}-${procedureName}`,
    title: `bookings in flight through a deploy (${procedureName}: ${DEPLOY_PROCEDURES[procedureName]}): nothing lost, sold or charged twice, every booking answered, each invocation on one version`,
    announce: `deploying ${next.name} ${procedureName}: ${DEPLOY_PROCEDURES[procedureName]}`,
    procedureName,
    procedure: (stack) => deployProcedure(procedureName, stack, next),
    attempts: ATTEMPTS,
  });
}

/**
 * Starts Restate as release `from` and upgrades it to `next` by `procedureName` while bookings are in flight (see
 * midFlightGate), the Worker unchanged: judged as every deploy is. Its clients lose their connections while Restate
 * is down and retry once it answers again (UPGRADE_ATTEMPTS), as a client of a real upgrade would. Only `in-place` is
 * meant to pass.
 */
export function serverUpgradeMidFlight(from: string, next: RestateBinary, procedureName: UpgradeProcedureName = "in-place"): Gate {
  const suffix = procedureName === "in-place" ? "" : `-${procedureName}`;
  return midFlightGate({
    name: `${DEPLOY_JUDGED.name}-server-upgrade${suffix}`,
    title: `bookings in flight through a Restate upgrade from ${from} to ${next.version} (${UPGRADE_PROCEDURES[procedureName]}): nothing lost, sold or charged twice, every booking answered`,
    announce: `upgrading Restate ${from} → ${next.version} (${procedureName}): ${UPGRADE_PROCEDURES[procedureName]}`,
    procedureName: `server-upgrade${suffix}`,
    procedure: (stack) => serverUpgradeProcedure(procedureName, stack, next),
    attempts: UPGRADE_ATTEMPTS,
    stack: { restateRelease: from },
    needs: ["restateUpgrade"],
  });
}
