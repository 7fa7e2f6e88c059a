import fc from "fast-check";
import type { CheckoutInput } from "../../harness/restate/client.js";
import type { FaultPlan, GatewayProfile } from "../../harness/gateway/gateway.js";
import { delay } from "../../harness/system/wait.js";
import type { GateContext } from "../../harness/runner/gate.js";
import { checkoutUntilDefinite, nemesis, recordRaw, waitBareHoldEnded } from "../../harness/runner/workload.js";
import { MAX_ID_LENGTH } from "../../worker/schemas.js";
import { BOOKINGS, CARDS, clientOpArbitrary, LONG_SEAT, SEATS, USERS, weighted, type BookingPlan, type ClientOp } from "./universe.js";

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
  // A charge past its hold is refunded (saga): its refund is answered 503, then made with its answer lost, then retried
  // under a key the gateway forgot ("already refunded").
  "slow-past-hold+refund-faults": { plan: { latencyMs: 1_900, failNextRefunds: 1, resetNextRefunds: 1, forgetRefundKeys: true }, weight: 1 },
};

/** How a retry of ended bookings meets the gateway: each profile, with or without a fault. */
const GATEWAY_PROFILES: GatewayProfile[] = ["default", "stripe"];

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
  /** The booking ids (indexes into plans) whose own request got a definite answer: they have ended. */
  ended: Set<number>;
  /** Client checkouts and commands run so far. */
  clients: number;
  commands: number;
}

/** A seat's or booking's id in `run`: `name` after the run's prefix, padded to the longest id the Worker takes when `long`. */
const idOf = (run: ModelRun, name: string, long: boolean) => (long ? `${run.prefix}${name}-`.padEnd(MAX_ID_LENGTH, "x") : `${run.prefix}${name}`);

/** The request `op` makes in `run`, and the idempotency key it sends (one per distinct request, as a client keeps it). */
function requestOf(run: ModelRun, op: ClientOp): { input: CheckoutInput & { bookingId: string }; idempotencyKey?: string } {
  const plan = run.plans[op.booking]!;
  const seat = op.variant === "other-seat" ? (plan.seat + 1) % SEATS : plan.seat;
  const user = op.variant === "other-user" ? (plan.user + 1) % USERS : plan.user;
  const card = op.variant === "other-card" ? CARDS[(CARDS.indexOf(plan.card) + 1) % CARDS.length]! : plan.card;
  const ticketId = idOf(run, `s${seat}`, seat === LONG_SEAT);
  const ownId = idOf(run, `b${op.booking}`, plan.longId);
  // The separator variant names another booking, one whose id would share its charge key with a seat id holding ':'.
  const bookingId = op.variant === "separator" ? `${run.prefix}b${op.booking}:seat:${seat}` : ownId;
  const input = { ticketId, userId: `u${user}`, paymentMethodId: card, bookingId };
  return { input, idempotencyKey: op.withKey ? (op.variant === "same" ? bookingId : `${run.prefix}b${op.booking}~${op.variant}`) : undefined };
}

/** Runs `ops` as concurrent clients, each retrying until its answer is definite; notes the bookings that ended. */
function runClients(run: ModelRun, ops: ClientOp[]): { clientsDone: Promise<unknown>; bookingIds: string[] } {
  const requests = ops.map((op) => ({ op, ...requestOf(run, op) }));
  const clients = requests.map(async ({ op, input, idempotencyKey }) => {
    const done = await checkoutUntilDefinite(run.context, `${run.tag}/c${run.clients++}`, input, {
      idempotencyKey,
      timeoutMs: op.impatient ? 250 : 20_000,
      maxAttempts: 12,
    });
    if (op.variant === "same" && done.type !== "info") run.ended.add(op.booking);
  });
  return { clientsDone: Promise.all(clients), bookingIds: requests.map((r) => r.input.bookingId) };
}

/** Sets the gateway's fault plan and profile for one command, and takes them back after it, however it ends. */
async function underGateway(run: ModelRun, fault: string | null, profile: GatewayProfile | undefined, body: () => Promise<void>): Promise<void> {
  const drawn = fault === null ? undefined : GATEWAY_FAULTS[fault]!;
  run.context.stack.gateway.setFaults(drawn?.plan ?? {});
  run.context.stack.gateway.setProfile(profile ?? drawn?.profile ?? "default");
  try {
    await body();
  } finally {
    run.context.stack.gateway.setFaults({});
    run.context.stack.gateway.setProfile("default");
  }
}

const describeOp = (op: ClientOp) =>
  `b${op.booking}${op.variant === "same" ? "" : ` ${op.variant}`}${op.withKey ? " +key" : ""}${op.impatient ? " impatient" : ""}`;

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
    run.commands += 1;
    await underGateway(run, this.gatewayFault, undefined, async () => {
      const { clientsDone, bookingIds } = runClients(run, this.ops);
      const point = this.processFault?.startsWith("kill-worker@") ? this.processFault.slice("kill-worker@".length) : undefined;
      const faulting =
        point !== undefined ? killWorkerAt(run, point, bookingIds, clientsDone) : this.processFault === "kill-restate" ? killRestate(run) : undefined;
      await Promise.all([clientsDone, faulting]);
    });
  }

  toString(): string {
    const faults = [this.gatewayFault, this.processFault].filter((f) => f !== null);
    return `checkout(${this.ops.map(describeOp).join(", ")})${faults.length > 0 ? ` under ${faults.join(" + ")}` : ""}`;
  }
}

/**
 * Every booking of the run that has ended is asked again, its own request, at once, under a gateway profile and maybe
 * a fault: an ended booking (confirmed, declined, refused, refunded, gateway down) keeps its answer whatever the gateway does.
 */
class RetryEnded implements fc.AsyncCommand<Model, ModelRun> {
  constructor(
    readonly profile: GatewayProfile,
    readonly gatewayFault: string | null,
    readonly withKey: boolean,
  ) {}

  check(): boolean {
    return true;
  }

  async run(_model: Model, run: ModelRun): Promise<void> {
    run.commands += 1;
    const ops = [...run.ended].map((booking): ClientOp => ({ booking, variant: "same", withKey: this.withKey, impatient: false }));
    await underGateway(run, this.gatewayFault, this.profile, async () => {
      await runClients(run, ops).clientsDone;
    });
  }

  toString(): string {
    return `retry every ended booking${this.withKey ? " +key" : ""} (${this.profile} gateway${this.gatewayFault === null ? "" : ` under ${this.gatewayFault}`})`;
  }
}

/** The id of the seat booking `booking` of `run` is planned for. */
function seatOfBooking(run: ModelRun, booking: number): string {
  const seat = run.plans[booking]!.seat;
  return idOf(run, `s${seat}`, seat === LONG_SEAT);
}

/** Booking `booking`'s own request, asked by a patient client without an idempotency key. */
const ownRequest = (booking: number): ClientOp => ({ booking, variant: "same", withKey: false, impatient: false });

/** The user a seat is held for through the demo API (a bare hold: no booking). */
const HAND = "u-hand";

/**
 * For a Worker with the demo API: the seat of booking `booking` is held by hand (`Ticket/reserve` for a bare user), a
 * batch of checkouts, that booking's first, runs against it, the hold ends by its timer (HOLD_TTL_MS, as the proof of
 * concept's bare holds do), and that booking is asked again: refused while the seat was held, it has ended, and must
 * stay refused once the seat is free.
 */
class HeldByHand implements fc.AsyncCommand<Model, ModelRun> {
  constructor(
    readonly booking: number,
    readonly others: ClientOp[],
  ) {}

  check(): boolean {
    return true;
  }

  async run(_model: Model, run: ModelRun): Promise<void> {
    run.commands += 1;
    const seatId = seatOfBooking(run, this.booking);
    const process = `${run.tag}/demo`;
    const held = await recordRaw(run.context, process, "reserve", { seatId, path: `/Ticket/${seatId}/reserve`, body: JSON.stringify(HAND) });
    const own = ownRequest(this.booking);
    await runClients(run, [own, ...this.others]).clientsDone;
    if (held.type !== "ok") return;
    await waitBareHoldEnded(run.context, seatId, HAND);
    await runClients(run, [own]).clientsDone;
  }

  toString(): string {
    return `hold b${this.booking}'s seat by hand, then checkout(b${this.booking}${this.others.map((op) => `, ${describeOp(op)}`).join("")}), then b${this.booking} again once the hold ended`;
  }
}

/** How the demo API frees a seat whatever it holds (the game's reset releases its seats the same way). */
type FreeByHand = "release" | "cleanup";

/**
 * For a Worker with the demo API: a batch of checkouts, booking `booking`'s first, runs; then the demo frees that
 * booking's seat by hand while the batch is asked again (a sale freed is voided: refunded, and refused from then on;
 * a hold freed loses its booking the seat); then that booking is asked once more, after the free.
 */
class FreedByHand implements fc.AsyncCommand<Model, ModelRun> {
  constructor(
    readonly booking: number,
    readonly how: FreeByHand,
    readonly others: ClientOp[],
  ) {}

  check(): boolean {
    return true;
  }

  async run(_model: Model, run: ModelRun): Promise<void> {
    run.commands += 1;
    const seatId = seatOfBooking(run, this.booking);
    const own = ownRequest(this.booking);
    await runClients(run, [own, ...this.others]).clientsDone;
    const free = recordRaw(run.context, `${run.tag}/demo`, `${this.how}-by-hand`, { seatId, path: `/Ticket/${seatId}/${this.how}` });
    await Promise.all([free, runClients(run, [own, ...this.others]).clientsDone]);
    await runClients(run, [own]).clientsDone;
  }

  toString(): string {
    const batch = `b${this.booking}${this.others.map((op) => `, ${describeOp(op)}`).join("")}`;
    return `checkout(${batch}), then ${this.how} b${this.booking}'s seat by hand while checkout(${batch}) again, then b${this.booking} again`;
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

const retryEndedArbitrary: fc.Arbitrary<fc.AsyncCommand<Model, ModelRun>> = fc
  .record({
    profile: fc.constantFrom(...GATEWAY_PROFILES),
    gatewayFault: weighted<string | null>([null, 3], ...Object.keys(GATEWAY_FAULTS).map((f): [string, number] => [f, 1])),
    withKey: fc.boolean(),
  })
  .map(({ profile, gatewayFault, withKey }) => new RetryEnded(profile, gatewayFault, withKey));

const heldByHandArbitrary: fc.Arbitrary<fc.AsyncCommand<Model, ModelRun>> = fc
  .record({ booking: fc.integer({ min: 0, max: BOOKINGS - 1 }), others: fc.array(clientOpArbitrary, { maxLength: 3 }) })
  .map(({ booking, others }) => new HeldByHand(booking, others));

const freedByHandArbitrary: fc.Arbitrary<fc.AsyncCommand<Model, ModelRun>> = fc
  .record({
    booking: fc.integer({ min: 0, max: BOOKINGS - 1 }),
    how: fc.constantFrom<FreeByHand>("release", "cleanup"),
    others: fc.array(clientOpArbitrary, { maxLength: 3 }),
  })
  .map(({ booking, how, others }) => new FreedByHand(booking, how, others));

/**
 * A run's commands: mostly batches of checkouts; now and then every ended booking retried, the gateway forgetting its
 * keys, or (for a Worker with the demo API) a seat held by hand while a batch runs, or freed by hand under a batch.
 */
export function commandsArbitrary(maxCommands: number, options: { demoApi: boolean }): fc.Arbitrary<Iterable<fc.AsyncCommand<Model, ModelRun>>> {
  const kinds = [batchArbitrary, batchArbitrary, batchArbitrary, batchArbitrary, retryEndedArbitrary, fc.constant(new ForgetKeys())];
  return fc.commands(options.demoApi ? [...kinds, heldByHandArbitrary, freedByHandArbitrary] : kinds, { maxCommands });
}
