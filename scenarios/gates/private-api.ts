import { endedStaysEnded } from "../../harness/checkers/ended-stays-ended.js";
import { expectedStatuses, observationsHold, rejectedWithoutChange } from "../../harness/checkers/expectations.js";
import { noLostBooking } from "../../harness/checkers/no-lost-booking.js";
import type { Gate, GateContext } from "../../harness/runner/gate.js";
import { DEMO_SEATS } from "../../worker/contract.js";
import { observeSeat, recordCheckout, recordDirect, recordRaw, recordSnapshot } from "../../harness/runner/workload.js";

/** Every state-changing handler besides Checkout/process, as the proof of concept's scripts call them through the ingress. */
export function stateChangingCalls(seat: string): Array<{ name: string; path: string; body?: string }> {
  return [
    { name: "Ticket/reserve", path: `/Ticket/${seat}/reserve`, body: '"u-intruder"' },
    { name: "Ticket/confirm", path: `/Ticket/${seat}/confirm` },
    { name: "Ticket/release", path: `/Ticket/${seat}/release` },
    { name: "Ticket/cleanup", path: `/Ticket/${seat}/cleanup` },
    { name: "SeatMap/set", path: "/SeatMap/global/set", body: JSON.stringify({ seatId: seat, status: "AVAILABLE" }) },
    { name: "SeatMap/resetAll", path: "/SeatMap/global/resetAll", body: "{}" },
    { name: "SeatMap/reset", path: "/SeatMap/global/reset", body: "{}" },
    { name: "GameManager/reset", path: "/GameManager/reset", body: "{}" },
  ];
}

/**
 * By default only Checkout/process changes state from outside: every other such handler is private to Restate, and
 * the booking's own handlers (Booking/process, Booking/claim, Booking/voidSale, Ticket/book) always are.
 * Runs on a deployed Worker too (a remote target with --worker-url or --no-register), where it proves what that
 * deployment exposes; there it leaves out what needs the harness's own Worker: the seeded sale (the deployed Worker
 * charges its own gateway, whose ledger the harness cannot read) and, without the Worker's URL, the mock route.
 */
export const privateApi: Gate = {
  name: "private-api",
  needs: ["demoApi", "mockPaymentRoute"],
  title: "by default the ingress refuses every state-changing handler but Checkout/process, and the mock payment route is off",
  checkers: [rejectedWithoutChange, expectedStatuses],
  async run(context) {
    const { prefix, log, stack } = context;
    const sold = `${prefix}sold`;
    if (stack.capabilities.workerControl) {
      await recordCheckout(context, "client", { ticketId: sold, userId: "u-owner", bookingId: `${prefix}owner` }, { expectStatus: 200 });
    } else {
      log("deployed Worker: no sale seeded first (its charges go to its own gateway); the intruder's calls meet fresh seats");
    }
    await recordSnapshot(context);
    // A booking's own handlers are private in every mode: only the Checkout runs a booking, in either design.
    const order = { ticketId: `${prefix}free`, userId: "u-intruder", paymentMethodId: "card_success" };
    const bookingCalls = [
      { name: "Booking/process", path: `/Booking/${prefix}owner/process`, body: JSON.stringify(order) },
      { name: "Booking/claim", path: `/Booking/${prefix}owner/claim`, body: JSON.stringify({ ...order, awakeableId: "sign_intruder" }) },
      { name: "Booking/voidSale", path: `/Booking/${prefix}owner/voidSale`, body: JSON.stringify({ ticketId: sold }) },
      {
        name: "Ticket/book",
        path: `/Ticket/${prefix}free/book`,
        body: JSON.stringify({ bookingId: `${prefix}intruder`, userId: "u-intruder", paymentMethodId: "card_success", awakeableId: "sign_intruder" }),
      },
    ];
    const calls = [...stateChangingCalls(sold), ...stateChangingCalls(`${prefix}free`).slice(0, 4), ...bookingCalls];
    log(`${calls.length} calls to private handlers through the ingress${stack.capabilities.workerReachable ? ", and the mock payment route" : ""}`);
    for (const call of calls) await recordRaw(context, "intruder", "raw", { ...call, name: `${call.name} ${call.path}`, expectBody: "not public" });
    if (!stack.capabilities.workerReachable) {
      log("mock payment route not checked: give the deployed Worker's URL with --worker-url");
      return;
    }
    const payment = JSON.stringify({ amount: 50, paymentMethodId: "card_success" });
    await recordDirect(context, "intruder", "raw", {
      name: "POST /api/mock-payment",
      path: "/api/mock-payment",
      body: payment,
      headers: { "content-type": "application/json" },
      expectStatus: 404,
    });
  },
};

/**
 * A sale the demo frees is voided: for each way the demo frees a seat (a release or a cleanup by hand, the game's
 * reset on a demo seat), a booking confirmed first is refused when retried after the free (its money given back:
 * exactly-once-charge), never "Booking Confirmed" for a seat that is free again. The reset releases its seats by
 * one-way sends: the retry waits until Restate shows the seat AVAILABLE.
 */
async function voidedSales(context: GateContext): Promise<void> {
  const { prefix } = context;
  const frees = [
    { how: "release", seat: `${prefix}sold-then-released`, path: (seat: string) => `/Ticket/${seat}/release` },
    { how: "cleanup", seat: `${prefix}sold-then-cleaned`, path: (seat: string) => `/Ticket/${seat}/cleanup` },
    { how: "reset", seat: DEMO_SEATS[DEMO_SEATS.length - 1]!, path: () => "/GameManager/reset" },
  ];
  for (const { how, seat, path } of frees) {
    const sale = { ticketId: seat, userId: "u3", bookingId: `${prefix}voided-by-${how}` };
    await observeSeat(context, seat, { ticket: "AVAILABLE" }, "free before the sale");
    await recordCheckout(context, "client", sale, { expectStatus: 200 });
    await recordRaw(context, "demo-script", `${how}-sold`, { seatId: seat, path: path(seat), expectStatus: 200 });
    await observeSeat(context, seat, { ticket: "AVAILABLE" }, `freed by the demo's ${how}`);
    await recordCheckout(context, "client", sale, { expectStatus: 409 });
  }
}

/**
 * With the demo setting, the proof of concept's public API is back (its scripts keep working, a repeated confirm included),
 * checkout still works, a booking refused for a seat held by hand stays refused once the demo frees the seat, and a
 * sale the demo frees is voided (voidedSales).
 */
export const demoApi: Gate = {
  name: "demo-api",
  needs: ["workerControl", "demoApi", "mockPaymentRoute"],
  title:
    "with PUBLIC_DEMO_API and MOCK_PAYMENT_ROUTE the proof of concept's handlers and mock route answer through the ingress; a booking refused for a seat held by hand stays refused once it is freed; a sale the demo frees is refunded and refused",
  stack: { workerEnv: { PUBLIC_DEMO_API: "true", MOCK_PAYMENT_ROUTE: "true" } },
  checkers: [expectedStatuses, endedStaysEnded, noLostBooking, observationsHold],
  async run(context) {
    const { prefix } = context;
    await recordCheckout(context, "client", { ticketId: `${prefix}bought`, userId: "u1", bookingId: `${prefix}b1` }, { expectStatus: 200 });
    for (const call of stateChangingCalls(`${prefix}demo`)) {
      const f = call.name.replace("/", "-");
      await recordRaw(context, "demo-script", f, { ...call, seatId: `${prefix}demo`, expectStatus: 200 });
    }
    // A script that repeats its confirm (a retry after a lost answer) meets a no-op, not "sold to someone else".
    const byHand = `${prefix}by-hand`;
    await recordRaw(context, "demo-script", "reserve-again", { seatId: byHand, path: `/Ticket/${byHand}/reserve`, body: '"u-hand"', expectStatus: 200 });
    await recordRaw(context, "demo-script", "confirm-first", { seatId: byHand, path: `/Ticket/${byHand}/confirm`, expectStatus: 200 });
    await recordRaw(context, "demo-script", "confirm-again", { seatId: byHand, path: `/Ticket/${byHand}/confirm`, expectStatus: 200 });
    // A booking refused because the demo held the seat has ended: freed by hand, the seat must not book it on a retry.
    const held = `${prefix}held-by-hand`;
    const refused = { ticketId: held, userId: "u2", bookingId: `${prefix}refused` };
    await recordRaw(context, "demo-script", "reserve-by-hand", { seatId: held, path: `/Ticket/${held}/reserve`, body: '"u-hand"', expectStatus: 200 });
    await recordCheckout(context, "client", refused, { expectStatus: 409 });
    await recordRaw(context, "demo-script", "release-by-hand", { seatId: held, path: `/Ticket/${held}/release`, expectStatus: 200 });
    await recordCheckout(context, "client", refused, { expectStatus: 409 });
    await voidedSales(context);
    const payment = JSON.stringify({ amount: 50, paymentMethodId: "card_success" });
    await recordDirect(context, "demo-script", "mock-payment", {
      path: "/api/mock-payment",
      body: payment,
      headers: { "content-type": "application/json" },
      expectStatus: 200,
    });
  },
};
