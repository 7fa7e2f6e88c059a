import type { SourceEdit } from "../../harness/worker/variant.js";
import type { BookingDesign } from "../../worker/contract.js";

/** A small, named change to the Worker's source that re-introduces one bug, and the gates that must catch it. */
export interface Mutant {
  name: string;
  /** The bug, in words (seed defects are numbered as in docs/proof-of-concept.md). */
  bug: string;
  /** File under worker/, and exact replacements in it: each `from` must occur exactly once. */
  edits: SourceEdit[];
  /** Gates run against the mutant; it is killed when at least one of them fails. */
  gates: string[];
  /** The reference Worker's booking design the mutant runs in (designs/): the one whose code it breaks. */
  design: BookingDesign;
  /** The Restate runtime its gates run on, when they need one (the partition gate needs "cluster"); default: the runner's. */
  runtime?: "binary" | "cluster";
}

/** The catalogue: every seed defect our Worker fixes, plus other ways a booking saga goes wrong. */
export const MUTANTS: readonly Mutant[] = [
  {
    name: "seed-1-confirm-any-hold",
    bug: "seed defect 1: confirm accepts an AVAILABLE seat or someone else's hold (double sale / wrong owner)",
    edits: [
      {
        file: "ticket.ts",
        from: 'if (state.status === "SOLD") {\n          if (heldBy(state, actor)) return true;\n          throw conflict(messages.sold);\n        }\n        if (state.status !== "RESERVED" || !heldBy(state, actor)) {',
        to: 'if (state.status === "SOLD") return true;\n        if (false as boolean) {',
      },
    ],
    gates: ["hold-expiry"],
    design: "saga",
  },
  {
    name: "seed-2-release-any-hold",
    bug: "seed defect 2: the saga's compensation releases whatever is on the seat, not only its own hold",
    edits: [{ file: "ticket.ts", from: 'if (state.status !== "RESERVED" || state.bookingId !== request.bookingId) return false;', to: "" }],
    gates: ["hold-expiry"],
    design: "saga",
  },
  {
    name: "seed-3-charge-without-key",
    bug: "seed defect 3: the charge carries no idempotency key, so a replay or retry charges again",
    edits: [{ file: "payments.ts", from: '"idempotency-key": idempotencyKey ', to: "" }],
    gates: ["crash-matrix"],
    design: "saga",
  },
  {
    name: "random-idempotency-key",
    bug: "the charge's idempotency key is random, not derived from the booking, so a retry charges again",
    edits: [
      {
        file: "saga.ts",
        from: "const key = chargeKeyOf(bookingId, ticketId);",
        to: "const key = `${chargeKeyOf(bookingId, ticketId)}:${crypto.randomUUID()}`;",
      },
    ],
    gates: ["happy-path", "crash-matrix"],
    design: "saga",
  },
  {
    name: "seed-4-gateway-error-terminal",
    bug: "seed defect 4: a transient gateway failure (503) fails the booking at once instead of being retried",
    edits: [
      {
        file: "payments.ts",
        from: "if (response.status >= 500) throw new Error(`the gateway answered HTTP ${response.status}`);",
        to: 'if (response.status >= 500) return { kind: "refused", detail: `HTTP ${response.status}` };',
      },
    ],
    gates: ["decline-compensation"],
    design: "saga",
  },
  {
    name: "seed-5-every-failure-500",
    bug: "seed defect 5: every failure reaches the client as HTTP 500, sold out and declined alike",
    edits: [
      { file: "errors.ts", from: "{ errorCode: 409 }", to: "{ errorCode: 500 }" },
      { file: "errors.ts", from: "{ errorCode: 402 }", to: "{ errorCode: 500 }" },
      { file: "errors.ts", from: "{ errorCode: 503 }", to: "{ errorCode: 500 }" },
      { file: "errors.ts", from: "{ errorCode: 400 }", to: "{ errorCode: 500 }" },
    ],
    gates: ["double-booking", "decline-compensation"],
    design: "saga",
  },
  {
    name: "seed-6-holds-never-expire",
    bug: "seed defect 6: reservedUntil is written but nothing expires a hold",
    edits: [{ file: "ticket.ts", from: "ctx.objectSendClient(ticket, seatId).expire({ holdId }, restate.rpc.sendOpts({ delay: holdTtlMs }));", to: "" }],
    gates: ["hold-expiry"],
    design: "saga",
  },
  {
    name: "seed-8-retry-books-again",
    bug: "seed defect 8: the booking's identity is the invocation, so a client retry starts a second booking",
    edits: [{ file: "checkout.ts", from: "const bookingId = chosen.id;", to: "const bookingId = ctx.request().id;" }],
    gates: ["happy-path"],
    design: "saga",
  },
  {
    name: "reserve-ignores-hold",
    bug: "reserve overwrites a live hold, so two bookings pay for one seat",
    edits: [
      {
        file: "ticket.ts",
        from: 'if (state.status === "RESERVED") {\n          if (heldBy(state, actor) && state.reservedBy === actor.userId) return "held";',
        to: 'if (state.status === "RESERVED" && (false as boolean)) {\n          if (heldBy(state, actor) && state.reservedBy === actor.userId) return "held";',
      },
    ],
    gates: ["double-booking"],
    design: "saga",
  },
  {
    name: "compensation-skipped",
    bug: "a declined or failed charge does not release the hold",
    edits: [{ file: "saga.ts", from: "    await seat.release({ bookingId });\n    throw chargeFailure(payment);", to: "    throw chargeFailure(payment);" }],
    gates: ["decline-compensation"],
    design: "saga",
  },
  {
    name: "map-update-lost",
    bug: "a ticket change never reaches the SeatMap view",
    edits: [{ file: "ticket-state.ts", from: 'ctx.objectSendClient(seatMap, "global").set({ seatId, status: state.status, version });', to: "void seatMap;" }],
    gates: ["happy-path"],
    design: "saga",
  },
  {
    name: "no-input-validation",
    bug: "ids are not validated: empty, huge and odd ids reach the objects and the ledger",
    edits: [
      { file: "schemas.ts", from: '.regex(ID_PATTERN, "may hold only letters, digits and . _ : @ + -, starting with a letter or digit");', to: ";" },
      { file: "schemas.ts", from: ".max(MAX_ID_LENGTH, `must be at most ${MAX_ID_LENGTH} characters`)", to: "" },
    ],
    gates: ["bad-input"],
    design: "saga",
  },
  {
    name: "charge-outside-durable-step",
    bug: "the charge runs outside ctx.run: it is not journaled, and its failures retry the whole invocation without bound",
    edits: [
      {
        file: "charge.ts",
        from: 'return await ctx.run(\n      "charge",\n      async () => {',
        to: 'return await (async (_name: string, f: () => Promise<ChargeOutcome>, _o: unknown) => f())(\n      "charge",\n      async () => {',
      },
    ],
    gates: ["decline-compensation"],
    design: "saga",
  },
  {
    name: "confirm-not-idempotent",
    bug: "confirming a seat its holder already bought is refused, so a script that repeats a confirm is told the seat is sold to someone",
    edits: [
      {
        file: "ticket.ts",
        from: "          if (heldBy(state, actor)) return true;\n          throw conflict(messages.sold);",
        to: "          throw conflict(messages.sold);",
      },
    ],
    gates: ["demo-api"],
    design: "saga",
  },
  {
    name: "refund-skipped",
    bug: "a booking that lost its hold while being charged is refused but not refunded",
    edits: [{ file: "saga.ts", from: "    await refundCharge(ctx, config, key, payment.transactionId);\n", to: "" }],
    gates: ["hold-expiry"],
    design: "saga",
  },
  {
    name: "gateway-timeout-terminal",
    bug: "a gateway call that times out fails the booking at once instead of being retried",
    edits: [
      {
        file: "payments.ts",
        from: 'import type { WorkerConfig } from "./config.js";',
        to: 'import type { WorkerConfig } from "./config.js";\nimport { TerminalError } from "@restatedev/restate-sdk-cloudflare-workers/fetch";',
      },
      {
        file: "payments.ts",
        from: '    throw new Error(name === "TimeoutError"',
        to: '    throw new (name === "TimeoutError" ? TerminalError : Error)(name === "TimeoutError"',
      },
    ],
    gates: ["gateway-faults"],
    design: "saga",
  },
  {
    name: "refund-lookup-ignored",
    bug: "a refund the gateway refuses (already made: its answer was lost and its key forgotten) is tried again for ever, not settled by looking the charge up: the booking is never answered",
    edits: [{ file: "refund.ts", from: "(charge === undefined || charge.refunded)", to: "charge === undefined" }],
    gates: ["hold-expiry"],
    design: "saga",
  },
  {
    name: "user-second-booking-rides-sale",
    bug: "a seat sold to one user counts as bought by every booking of that user: the user's second booking of the seat is confirmed without a charge",
    edits: [
      {
        file: "ticket.ts",
        from: 'if (actor.bookingId !== null && state.bookingId === actor.bookingId) return "sold";',
        to: 'if (actor.bookingId !== null && state.reservedBy === actor.userId) return "sold";',
      },
    ],
    gates: ["booking-model", "happy-path"],
    design: "saga",
  },
  {
    name: "booking-id-not-bound",
    bug: "a booking id is not bound to its request: the same id for another seat replays the first booking's answer, 'Booking Confirmed' for a seat nobody paid",
    edits: [{ file: "booking.ts", from: "if (!sameRequest(recorded.request, request)) throw", to: "if (false as boolean) throw" }],
    gates: ["booking-model", "happy-path"],
    design: "saga",
  },
  {
    name: "refunded-booking-retried",
    bug: "a booking refused after its hold expired (and refunded) is not remembered: its retry books the seat, and the charge's replay pays nothing",
    edits: [
      {
        file: "booking.ts",
        from: "if (error instanceof restate.TerminalError) ctx.set",
        to: "if (error instanceof restate.TerminalError && error.code !== 409) ctx.set",
      },
    ],
    gates: ["booking-model", "hold-expiry"],
    design: "saga",
  },
  {
    name: "unknown-charge-reported-failed",
    bug: "a charge whose outcome the retries left unknown is reported as not taken and the seat released, while the slow gateway takes the money",
    edits: [
      { file: "charge.ts", from: "return settle(ctx, config, order, key, error.message);", to: 'return { kind: "not-charged", detail: error.message };' },
    ],
    gates: ["booking-model", "gateway-faults"],
    design: "saga",
  },
  {
    name: "ended-booking-charged-again",
    bug: "a retry of a confirmed booking runs it again and charges the card again (reserve's 'already yours' is ignored); once the gateway forgot the key, the money moves twice",
    edits: [
      { file: "booking.ts", from: "          return replay(recorded);", to: "          if (recorded.status !== 200) return replay(recorded);" },
      {
        file: "saga.ts",
        from: '  if ((await seat.reserve({ userId, bookingId })) === "sold") return BOOKING_CONFIRMED;',
        to: "  await seat.reserve({ userId, bookingId });",
      },
    ],
    gates: ["happy-path", "booking-model"],
    design: "saga",
  },
  {
    name: "other-card-gets-stored-decline",
    bug: "a booking's card is not part of its request: a retry of a declined booking with another card is told that card was declined, though it was never tried",
    edits: [{ file: "booking-record.ts", from: " && a.paymentMethodId === b.paymentMethodId", to: "" }],
    gates: ["booking-model", "happy-path"],
    design: "saga",
  },
  {
    name: "no-request-signing",
    bug: "the Worker serves any caller: it ignores Restate's request-identity keys, so anyone can invoke its handlers directly",
    edits: [
      {
        file: "index.ts",
        from: "const identityKeys = deployment.identityKeys.length > 0 ? deployment.identityKeys : undefined;",
        to: "const identityKeys = undefined;",
      },
    ],
    gates: ["request-signing"],
    design: "saga",
  },
  {
    name: "handlers-public-by-default",
    bug: "the proof of concept's exposure: reserve, confirm, release, the SeatMap and the game reset answer anyone through the ingress",
    edits: [{ file: "deployment.ts", from: "export const privateToRestate = !deployment.publicDemoApi;", to: "export const privateToRestate = false;" }],
    gates: ["private-api"],
    design: "saga",
  },
  {
    name: "mock-payment-route-always-on",
    bug: "the mock payment route answers whatever the setting: a free 'payment succeeded' oracle on the public Worker",
    edits: [{ file: "index.ts", from: "if (!config.mockPaymentRoute) return", to: "if (false as boolean) return" }],
    gates: ["private-api"],
    design: "saga",
  },
  {
    name: "demo-setting-ignored",
    bug: "the demo setting does not bring the proof of concept's public API back, so its scripts break",
    edits: [{ file: "deployment.ts", from: "export const privateToRestate = !deployment.publicDemoApi;", to: "export const privateToRestate = true;" }],
    gates: ["demo-api"],
    design: "saga",
  },
  {
    name: "no-input-size-limit",
    bug: "handler inputs of any size are parsed: no limit, and no answer that names it",
    edits: [{ file: "input.ts", from: "if (data.length > MAX_INPUT_BYTES) throw", to: "if (false as boolean) throw" }],
    gates: ["hostile-input"],
    design: "saga",
  },
  {
    name: "seat-map-any-key",
    bug: "any SeatMap key answers as an empty map, as the proof of concept's did, instead of a 404",
    edits: [{ file: "seat-map.ts", from: "if (ctx.key !== SEAT_MAP_KEY) throw", to: "if (false as boolean) throw" }],
    gates: ["hostile-input"],
    design: "saga",
  },
  {
    name: "seat-key-unchecked",
    bug: "a Ticket's key is not validated: seats with unicode, control characters or 10,000-character ids are served",
    edits: [
      {
        file: "ticket-state.ts",
        from: "  if (!parsed.success) throw badRequest(",
        to: "  if (!parsed.success) return ctx.key;\n  if (false as boolean) throw badRequest(",
      },
    ],
    gates: ["hostile-input"],
    design: "saga",
  },
  {
    name: "seat-owned-sold-without-charge",
    bug: "seat-owned: the seat is marked SOLD whatever the charge said, so a declined card or a gateway that never answered gets the seat for nothing",
    edits: [{ file: "seat-booking.ts", from: 'if (payment.kind === "charged") {', to: "if (true as boolean) {" }],
    gates: ["decline-compensation"],
    design: "seat-owned",
  },
  {
    name: "seat-owned-id-not-bound",
    bug: "seat-owned: the Booking does not bind its id, so the same id books another seat (one booking id, two bookings)",
    edits: [{ file: "booking.ts", from: "if (bound && !sameRequest(bound, request)) {", to: "if (false as boolean) {" }],
    gates: ["happy-path", "booking-model"],
    design: "seat-owned",
  },
  {
    name: "seat-owned-answer-not-recorded",
    bug: "seat-owned: the seat does not record a booking's answer, so a retry of a confirmed booking is told the seat is sold and a declined one is charged again",
    edits: [{ file: "seat-booking.ts", from: "  ctx.set(recordKey(order.bookingId), answer);\n", to: "" }],
    gates: ["happy-path"],
    design: "seat-owned",
  },
  {
    name: "seat-owned-sold-seat-booked-again",
    bug: "seat-owned: the seat does not check that it is sold, so every booking of it charges and confirms (double sale)",
    edits: [{ file: "seat-booking.ts", from: '  if (state.status === "SOLD") return { status: 409, message: messages.sold };\n', to: "" }],
    gates: ["double-booking"],
    design: "seat-owned",
  },
  {
    name: "seat-owned-random-charge-key",
    bug: "seat-owned: the charge's idempotency key is random, so a replay or retry of the seat's booking charges again",
    edits: [{ file: "seat-booking.ts", from: "chargeKeyOf(order.bookingId, seatId)", to: "`${chargeKeyOf(order.bookingId, seatId)}:${crypto.randomUUID()}`" }],
    gates: ["crash-matrix", "happy-path"],
    design: "seat-owned",
  },
  {
    name: "seat-owned-answer-recorded-without-status",
    bug: "seat-owned: the seat records a booking's answer without its status, so every retry of an ended booking (confirmed or declined) is answered HTTP 500",
    edits: [
      {
        file: "seat-booking.ts",
        from: "ctx.set(recordKey(order.bookingId), answer);",
        to: "ctx.set(recordKey(order.bookingId), { message: answer.message });",
      },
    ],
    gates: ["happy-path"],
    design: "seat-owned",
  },
  {
    name: "seat-owned-refusal-not-recorded",
    bug: "seat-owned: the seat records no 409, so a booking refused while the demo held the seat is booked by its retry once the demo frees it (409, then 200)",
    edits: [
      {
        file: "seat-booking.ts",
        from: "  ctx.set(recordKey(order.bookingId), answer);\n",
        to: "  if (answer.status !== 409) ctx.set(recordKey(order.bookingId), answer);\n",
      },
    ],
    gates: ["demo-api", "booking-model"],
    design: "seat-owned",
  },
  {
    name: "demo-free-keeps-sale",
    bug: 'the demo\'s release, cleanup or game reset frees a SOLD seat without voiding its sale: the money is kept and a retry of the booking reads "Booking Confirmed" for a free seat',
    edits: [
      {
        file: "ticket.ts",
        from: 'if (state.status === "SOLD" && state.bookingId !== null) await',
        to: 'if (state.status === "RESERVED" && state.bookingId !== null) await',
      },
    ],
    gates: ["demo-api", "booking-model"],
    design: "seat-owned",
  },
  {
    name: "voided-sale-keeps-money",
    bug: 'saga: a sale the demo frees is recorded as refused (409, "refunded") but its charge is never given back',
    edits: [{ file: "booking.ts", from: "        await refundSale(ctx, configOf(ctx), chargeKeyOf(ctx.key, bound.ticketId));\n", to: "" }],
    gates: ["demo-api", "booking-model"],
    design: "saga",
  },
  {
    name: "partition-random-charge-key",
    bug: "seat-owned: the charge's idempotency key is random, so the charge a new partition leader runs again after a cut link is a second charge",
    edits: [{ file: "seat-booking.ts", from: "chargeKeyOf(order.bookingId, seatId)", to: "`${chargeKeyOf(order.bookingId, seatId)}:${crypto.randomUUID()}`" }],
    gates: ["partition"],
    design: "seat-owned",
    runtime: "cluster",
  },
];
