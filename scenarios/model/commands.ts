import fc from "fast-check";
import type { CheckoutInput } from "../../harness/stack/client.js";
import type { FaultPlan, GatewayProfile } from "../../harness/gateway/gateway.js";
import { delay } from "../../harness/system/wait.js";
import type { GateContext } from "../../harness/runner/gate.js";
import { checkoutUntilDefinite, nemesis } from "../workload.js";
import { CARDS, clientOpArbitrary, SEATS, USERS, weighted, type BookingPlan, type ClientOp } from "./universe.js";

/** The Worker's settings in the model: short holds, a short timeout and few retries, so faults outlast them. */
export const MODEL_WORKER_ENV = {
  HOLD_TTL_MS: "1500",
  PAYMENT_TIMEOUT_MS: "400",
  PAYMENT_MAX_ATTEMPTS: "3",
  PAYMENT_RETRY_INTERVAL_MS: "100",
  PAYMENT_MAX_RETRY_MS: "3000",
  PAYMENT_RECONCILE_INTERVAL_MS: "100",
} as const;

/**
 * What the gateway does during one batch. The charge's whole retry window is about 0.7 s (a 400 ms timeout, then two
 * retries told the key is in flight), the hold 1.5 s: "slow-past-retries" answers after the window but within the
 * hold, "slow-past-hold" after both. Each is drawn by its weight, against 3 for a batch without a gateway fault.
 */
const GATEWAY_FAULTS: Record<string, { plan: Partial<FaultPlan>; profile?: GatewayProfile; weight: number }> = {
  "slow-past-retries": { plan: { latencyMs: 1_000 }, weight: 2 },
  "slow-past-hold": { plan: { latencyMs: 1_900 }, weight: 1 },
  "503-burst": { plan: { failNextCharges: 2 }, weight: 1 },
  "resets-after-charge": { plan: { resetNextCharges: 2 }, weight: 1 },
  "stripe-stored-503": { plan: { failNextCharges: 1 }, profile: "stripe", weight: 1 },
};

/** Where the Worker may be killed while a batch runs (its crash points), or Restate itself. */
const PROCESS_FAULTS = ["kill-worker@after-reserve", "kill-worker@after-charge-answer", "kill-worker@after-confirm", "kill-restate"] as const;
type ProcessFault = (typeof PROCESS_FAULTS)[number];

/** The fast-check model: only what decides which commands make sense next (none are ruled out today). */
export type Model = Record<string, never>;

/** One run of the model on the real stack: its tag and prefix (seats and booking ids), its plans, and counters. */
export interface ModelRun {
  context: GateContext;
  /** Prefixes the run's client processes in the history (`<tag>/c3`) and, after the gate's prefix, its ids. */
  tag: string;
  prefix: string;
  plans: BookingPlan[];
  /** Client checkouts and commands run so far. */
  clients: number;
  commands: number;
}

/** The request `op` makes in `run`, and the idempotency key it sends (one per distinct request, as a client keeps it). */
function requestOf(run: ModelRun, op: ClientOp): { input: CheckoutInput & { bookingId: string }; idempotencyKey?: string } {
  const plan = run.plans[op.booking]!;
  const seat = op.variant === "other-seat" ? (plan.seat + 1) % SEATS : plan.seat;
  const user = op.variant === "other-user" ? (plan.user + 1) % USERS : plan.user;
  const card = op.variant === "other-card" ? CARDS[(CARDS.indexOf(plan.card) + 1) % CARDS.length]! : plan.card;
  const bookingId = `${run.prefix}b${op.booking}`;
  const input = { ticketId: `${run.prefix}s${seat}`, userId: `u${user}`, paymentMethodId: card, bookingId };
  return { input, idempotencyKey: op.withKey ? (op.variant === "same" ? bookingId : `${bookingId}~${op.variant}`) : undefined };
}

const describeOp = (op: ClientOp) => `b${op.booking}${op.variant === "same" ? "" : ` ${op.variant}`}${op.withKey ? " +key" : ""}${op.impatient ? " impatient" : ""}`;

/**
 * Kills the Worker once a booking of the batch stands at `point`, and restarts it; gives up when the batch's clients
 * all finished first (none of them got there: e.g. their bookings had ended and were only answered again).
 */
async function killWorkerAt(run: ModelRun, point: string, bookingIds: string[], clientsDone: Promise<unknown>): Promise<void> {
  const { stack } = run.context;
  const crashPoints = stack.crashPoints!;
  const victims = await Promise.race([crashPoints.arm(point, bookingIds, 300), clientsDone.then(() => [] as string[])]);
  if (victims.length === 0) {
    crashPoints.disarm();
    return;
  }
  await nemesis(run.context, `kill-worker@${point}`, { run: run.tag, bookings: victims }, async () => {
    await stack.worker.kill();
    stack.crashPoints!.dropHeld();
    await stack.worker.restart();
    return { targets: victims.length };
  });
}

/** SIGKILLs Restate a moment into the batch, and restarts it on its data. */
async function killRestate(run: ModelRun): Promise<void> {
  const { stack, random } = run.context;
  await delay(random.int(30, 300));
  await nemesis(run.context, "kill-restate", { run: run.tag }, async () => {
    await stack.restate.kill();
    await delay(random.int(100, 300));
    await stack.restate.restart();
    return { targets: 1 };
  });
}

/** Concurrent checkouts, each retried by its client until it gets a definite answer, under a gateway and a process fault. */
class CheckoutBatch implements fc.AsyncCommand<Model, ModelRun> {
  constructor(
    readonly ops: ClientOp[],
    readonly gatewayFault: string | null,
    readonly processFault: ProcessFault | null,
  ) {}

  check(): boolean {
    return true;
  }

  async run(_model: Model, run: ModelRun): Promise<void> {
    const { context } = run;
    run.commands += 1;
    const fault = this.gatewayFault === null ? undefined : GATEWAY_FAULTS[this.gatewayFault]!;
    context.stack.gateway.setFaults(fault?.plan ?? {});
    context.stack.gateway.setProfile(fault?.profile ?? "default");
    try {
      const requests = this.ops.map((op) => ({ op, ...requestOf(run, op) }));
      const clients = requests.map(({ op, input, idempotencyKey }) =>
        checkoutUntilDefinite(context, `${run.tag}/c${run.clients++}`, input, { idempotencyKey, timeoutMs: op.impatient ? 250 : 20_000, maxAttempts: 12 }),
      );
      const bookingIds = requests.map((r) => r.input.bookingId);
      const clientsDone = Promise.all(clients);
      const point = this.processFault?.startsWith("kill-worker@") ? this.processFault.slice("kill-worker@".length) : undefined;
      const faulting = point !== undefined ? killWorkerAt(run, point, bookingIds, clientsDone) : this.processFault === "kill-restate" ? killRestate(run) : undefined;
      await Promise.all([clientsDone, faulting]);
    } finally {
      context.stack.gateway.setFaults({});
      context.stack.gateway.setProfile("default");
    }
  }

  toString(): string {
    const faults = [this.gatewayFault, this.processFault].filter((f) => f !== null);
    return `checkout(${this.ops.map(describeOp).join(", ")})${faults.length > 0 ? ` under ${faults.join(" + ")}` : ""}`;
  }
}

/** The gateway forgets every idempotency key it stored, as a real one does once their retention (Stripe: 24 h) passed. */
class ForgetKeys implements fc.AsyncCommand<Model, ModelRun> {
  check(): boolean {
    return true;
  }

  async run(_model: Model, run: ModelRun): Promise<void> {
    run.commands += 1;
    await nemesis(run.context, "gateway-forgets-keys", { run: run.tag }, async () => ({ targets: run.context.stack.gateway.forgetKeys() }));
  }

  toString(): string {
    return "gateway forgets its keys";
  }
}

const batchArbitrary: fc.Arbitrary<fc.AsyncCommand<Model, ModelRun>> = fc
  .record({
    ops: fc.array(clientOpArbitrary, { minLength: 1, maxLength: 4 }),
    gatewayFault: weighted<string | null>([null, 3], ...Object.entries(GATEWAY_FAULTS).map(([f, { weight }]): [string, number] => [f, weight])),
    processFault: weighted<ProcessFault | null>([null, 10], ...PROCESS_FAULTS.map((f): [ProcessFault, number] => [f, 1])),
  })
  .map(({ ops, gatewayFault, processFault }) => new CheckoutBatch(ops, gatewayFault, processFault));

/** A run's commands: mostly batches of checkouts, now and then the gateway forgetting its keys. */
export function commandsArbitrary(maxCommands: number): fc.Arbitrary<Iterable<fc.AsyncCommand<Model, ModelRun>>> {
  return fc.commands([batchArbitrary, batchArbitrary, batchArbitrary, batchArbitrary, fc.constant(new ForgetKeys())], { maxCommands });
}
