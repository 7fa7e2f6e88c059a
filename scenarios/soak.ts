import { bookingsAnswered } from "../harness/checkers/bookings-answered.js";
import { seatsSold } from "../harness/checkers/expectations.js";
import { failureStatuses } from "../harness/checkers/failure-statuses.js";
import { faultsApplied } from "../harness/checkers/faults-applied.js";
import { mapConvergence } from "../harness/checkers/map-convergence.js";
import { noDoubleSale } from "../harness/checkers/no-double-sale.js";
import { noLostBooking } from "../harness/checkers/no-lost-booking.js";
import type { Gate, GateContext } from "../harness/runner/gate.js";
import type { SoakFigures } from "../harness/soak/soak-result.js";
import { IsolateSampler } from "../harness/soak/isolate-sampler.js";
import { ResourceSampler } from "../harness/soak/sampler.js";
import { NexusError } from "../harness/system/errors.js";
import { delay, waitFor } from "../harness/system/wait.js";
import { checkoutUntilDefinite, nemesis } from "../harness/runner/workload.js";

/** How a soak runs: how long, how many checkouts a second, how often a fault strikes, how often processes are sampled. */
export interface SoakOptions {
  durationMs: number;
  /** Checkouts started per second, whatever the system answers (an open model). */
  rate: number;
  nemesisEveryMs: number;
  sampleEveryMs: number;
  /** How often a progress line is logged. */
  progressEveryMs: number;
}

/** The faults, in turn: the Worker SIGKILLed and restarted, Restate SIGKILLed and restarted, a burst of gateway 503s. */
export const SOAK_FAULTS = ["kill-worker", "kill-restate", "gateway-503-burst"] as const;

/**
 * The seats: each block of `block` bookings picks among `seatsPerBlock` fresh seats, so most seats get one buyer and
 * some get two or three (about a fifth of the bookings are refused with 409). Declined cards go only to the last
 * `declineSeats` seats of a block (`declineShare` of their buyers, about 5% of all bookings), so every other seat
 * with a buyer must sell. A gateway burst fails `burst` charges in a row, fewer than the Worker's 4 attempts at a
 * charge, so its retries absorb it.
 */
export const SOAK_SHAPE = { block: 12, seatsPerBlock: 24, declineSeats: 3, declineShare: 0.4, burst: 3, inFlightPerRate: 30 };

/** The default fault interval: a twelfth of the run, from 10 s to 60 s (a 3-minute run sees 11 faults, a 30-minute one 29). */
export function defaultNemesisEvery(durationMs: number): number {
  return Math.min(60_000, Math.max(10_000, Math.round(durationMs / 12)));
}

/** When each fault strikes (ms after the soak began) and which: every `everyMs`, in turn, ending half an interval before the end. */
export function faultPlan(durationMs: number, everyMs: number): Array<{ at: number; fault: (typeof SOAK_FAULTS)[number] }> {
  const plan: Array<{ at: number; fault: (typeof SOAK_FAULTS)[number] }> = [];
  for (let k = 1; k * everyMs <= durationMs - everyMs / 2; k++) plan.push({ at: k * everyMs, fault: SOAK_FAULTS[(k - 1) % SOAK_FAULTS.length]! });
  return plan;
}

/** Applies one soak fault, recorded as a nemesis op. */
async function strike(context: GateContext, fault: (typeof SOAK_FAULTS)[number], n: number, inFlight: () => number): Promise<void> {
  const { stack, random } = context;
  if (fault === "kill-worker") {
    await nemesis(context, fault, { n }, async () => {
      const hit = inFlight();
      await stack.worker.kill();
      await delay(random.int(100, 400));
      await stack.worker.restart();
      return { targets: 1, inFlight: hit };
    });
  } else if (fault === "kill-restate") {
    await nemesis(context, fault, { n }, async () => {
      const hit = inFlight();
      await stack.restate.kill();
      await delay(random.int(100, 400));
      const restarted = Date.now();
      await stack.restate.restart();
      return { targets: 1, inFlight: hit, readyMs: Date.now() - restarted };
    });
  } else {
    await nemesis(context, fault, { n, burst: SOAK_SHAPE.burst }, async () => {
      const injected = () => stack.gateway.entries().filter((e) => e.injected).length;
      const before = injected();
      stack.gateway.setFaults({ failNextCharges: SOAK_SHAPE.burst });
      try {
        await waitFor(async () => injected() - before >= SOAK_SHAPE.burst, { timeoutMs: 15_000, intervalMs: 100, what: "the 503 burst to be used up" }).catch(
          () => undefined,
        );
      } finally {
        stack.gateway.setFaults({});
      }
      return { targets: injected() - before };
    });
  }
}

const clock = (ms: number) => `${Math.floor(ms / 60_000)}:${String(Math.floor((ms % 60_000) / 1000)).padStart(2, "0")}`;

/**
 * The soak as judged: its name, title, needs, settings and checkers. `soakGate` gives it its workload; a stored soak
 * is judged again (`nexus check`) by this alone.
 */
export const SOAK_JUDGED: Gate = {
  name: "soak",
  title: "a steady booking load for a long time under Worker kills, Restate kills and gateway 503 bursts: every invariant kept",
  needs: ["restateFaults", "workerControl"],
  stack: {
    restateEnv: { RESTATE_DEFAULT_RETRY_POLICY__INITIAL_INTERVAL: "100ms", RESTATE_DEFAULT_RETRY_POLICY__MAX_INTERVAL: "1s" },
    // The Worker's isolate is read through its inspector, so its memory is judged apart from workerd's.
    inspectWorker: true,
  },
  checkers: [noDoubleSale, noLostBooking, bookingsAnswered, mapConvergence, seatsSold, failureStatuses([409, 402]), faultsApplied],
  run: () => Promise.reject(new NexusError("usage", "the soak runs with its duration and rate: nexus soak")),
};

/**
 * The soak: checkouts arrive at a fixed rate for the whole duration, each a fresh booking retried with the same id
 * and idempotency key until a definite answer, over many seats with some contention and some declined cards, while
 * the Worker and Restate are killed and the gateway fails bursts in turn; the harness's processes are sampled
 * throughout. `figures()` gives the samples and counts once `run` has returned.
 */
export function soakGate(options: SoakOptions): { gate: Gate; figures: () => SoakFigures } {
  let figures: SoakFigures | undefined;
  const gate: Gate = {
    ...SOAK_JUDGED,
    async run(context) {
      const { prefix, random, history, log } = context;
      const { block, seatsPerBlock, declineSeats, declineShare, inFlightPerRate } = SOAK_SHAPE;
      const plan = faultPlan(options.durationMs, options.nemesisEveryMs);
      for (const fault of SOAK_FAULTS) {
        const planned = plan.filter((p) => p.fault === fault).length;
        if (planned > 0) history.expect("faults", { fault, min: planned });
      }
      const epochMs = Number(history.ops[0]!.value.epochMs);
      const sampler = new ResourceSampler({ everyMs: options.sampleEveryMs, epochMs, restateMetricsUrl: context.stack.restate.metricsUrl });
      const inspectorPort = context.stack.worker.inspectorPort;
      const isolate = inspectorPort === undefined ? undefined : new IsolateSampler({ inspectorPort, everyMs: options.sampleEveryMs, epochMs });
      if (isolate === undefined) log("the Worker's isolate cannot be read here (the harness does not run the Worker): its memory is judged by RSS alone");
      const started = Date.now();
      const maxInFlight = Math.max(50, options.rate * inFlightPerRate);
      const counts = { launched: 0, ok: 0, fail: 0, unknown: 0, attempts: 0, dropped: 0, faults: 0 };
      const running = new Set<Promise<void>>();
      const seatsBooked = new Set<number>();
      const declineSeat = (seat: number) => seat % seatsPerBlock >= seatsPerBlock - declineSeats;
      let stopping = false;
      log(
        `${options.rate} checkouts/s for ${clock(options.durationMs)}, a fault every ${Math.round(options.nemesisEveryMs / 1000)} s (${plan.length} in all), processes sampled every ${Math.round(options.sampleEveryMs / 1000)} s`,
      );
      sampler.start();
      isolate?.start();

      const checkout = async (n: number) => {
        const seat = Math.floor(n / block) * seatsPerBlock + random.int(0, seatsPerBlock - 1);
        const card = declineSeat(seat) && random.int(1, 100) <= declineShare * 100 ? "card_decline" : "card_success";
        if (card === "card_success") seatsBooked.add(seat);
        const bookingId = `${prefix}b${n}`;
        const input = { ticketId: `${prefix}s${seat}`, userId: `u${n}`, paymentMethodId: card, bookingId };
        const done = await checkoutUntilDefinite(context, `client-${n % 64}`, input, { idempotencyKey: bookingId, timeoutMs: 20_000 });
        counts[done.type === "ok" ? "ok" : done.type === "fail" ? "fail" : "unknown"]++;
      };
      const arrivals = (async () => {
        while (!stopping && Date.now() - started < options.durationMs) {
          const due = Math.floor(((Date.now() - started) * options.rate) / 1000) + 1;
          while (counts.launched + counts.dropped < due) {
            if (running.size >= maxInFlight) {
              counts.dropped++;
              continue;
            }
            const task = checkout(counts.launched++).finally(() => running.delete(task));
            running.add(task);
          }
          await delay(20);
        }
      })();
      const faults = (async () => {
        for (const [i, { at, fault }] of plan.entries()) {
          if (stopping) return;
          const wait = started + at - Date.now();
          if (wait > 0) await delay(wait);
          await strike(context, fault, i + 1, () => running.size);
          counts.faults++;
        }
      })();
      const progress = setInterval(() => {
        const elapsed = Date.now() - started;
        log(
          `${clock(elapsed)} / ${clock(options.durationMs)}: ${counts.launched} bookings (${counts.ok} ok, ${counts.fail} refused, ${running.size} in flight), ${counts.faults} faults; RSS ${sampler.latestLine()}${isolate ? `; Worker isolate ${isolate.latestLine()}` : ""}`,
        );
      }, options.progressEveryMs);
      try {
        // A fault that fails (a process that does not come back) stops the arrivals too.
        const stopOn = (error: unknown) => {
          stopping = true;
          throw error;
        };
        await Promise.all([arrivals.catch(stopOn), faults.catch(stopOn)]);
        log(`arrivals stopped after ${counts.launched} bookings; waiting for the ${running.size} in flight`);
        while (running.size > 0) await Promise.all([...running]);
      } finally {
        clearInterval(progress);
        await sampler.stop();
        await isolate?.stop();
      }
      counts.attempts = history.ops.filter((op) => op.type === "invoke" && op.f === "checkout").length;
      // Every seat a paying buyer tried, other than the decline seats, must have sold.
      history.expect("sold", {
        seats: [...seatsBooked]
          .filter((s) => !declineSeat(s))
          .sort((a, b) => a - b)
          .map((s) => `${prefix}s${s}`),
      });
      const endMs = Date.now() - epochMs;
      if (isolate && isolate.missed > 0) log(`the Worker's isolate could not be read ${isolate.missed} times (while it was restarted)`);
      figures = {
        samples: sampler.samples,
        isolate: isolate?.samples ?? [],
        endMs,
        launched: counts.launched,
        ok: counts.ok,
        fail: counts.fail,
        unknown: counts.unknown,
        attempts: counts.attempts,
        droppedArrivals: counts.dropped,
      };
      log(
        `${counts.launched} bookings: ${counts.ok} ok, ${counts.fail} refused, ${counts.unknown} without a definite answer; ${counts.faults} faults; ${counts.dropped} arrivals dropped`,
      );
    },
  };
  return {
    gate,
    figures: () => {
      if (figures === undefined) throw new Error("the soak's figures are read before its run finished");
      return figures;
    },
  };
}
