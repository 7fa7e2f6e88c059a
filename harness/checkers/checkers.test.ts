import { describe, expect, it } from "vitest";
import { mergeVerdicts, runCheckers, type Checker } from "./checker.js";
import { exactlyOnceCharge, refusedNotCharged } from "./exactly-once-charge.js";
import { chargeAttempts, expectedStatuses, keysResolved, observationsHold, rejectedWithoutChange, sameAnswerOnRetry, seatsSold } from "./expectations.js";
import { liveness } from "./liveness.js";
import { failureStatuses } from "./failure-statuses.js";
import { charge, historyOf, sold, stateOf } from "./fixtures.js";
import { mapConvergence } from "./map-convergence.js";
import { noDoubleSale } from "./no-double-sale.js";
import { noLostBooking } from "./no-lost-booking.js";
import { bookingsAnswered } from "./bookings-answered.js";
import { History } from "../history/history.js";

const winnerAndLoser = historyOf([
  { bookingId: "b1", seat: "s1", user: "u1", status: 200 },
  { bookingId: "b2", seat: "s1", user: "u2", status: 409 },
]);
const goodState = stateOf([sold("s1", "b1", "u1")], [charge("b1", "s1")]);

describe("verdicts", () => {
  it("false beats unknown beats true", () => {
    expect(mergeVerdicts([true, "unknown", false])).toBe(false);
    expect(mergeVerdicts([true, "unknown"])).toBe("unknown");
    expect(mergeVerdicts([true, true])).toBe(true);
  });

  it("a checker that throws is unknown, never valid", () => {
    const crashing: Checker = {
      name: "crash",
      check: () => {
        throw new Error("boom");
      },
    };
    const { valid, results } = runCheckers([noDoubleSale, crashing], winnerAndLoser, goodState);
    expect(valid).toBe("unknown");
    expect(results[1]?.problems[0]).toContain("boom");
    expect(results[1]?.offenders).toEqual({ bookings: [], seats: [], ledger: [] });
  });
});

describe("no-double-sale", () => {
  it("accepts one winner per seat", () => {
    expect(noDoubleSale.check(winnerAndLoser, goodState).valid).toBe(true);
  });

  it("rejects two confirmed bookings for one seat", () => {
    const history = historyOf([
      { bookingId: "b1", seat: "s1", user: "u1", status: 200 },
      { bookingId: "b2", seat: "s1", user: "u2", status: 200 },
    ]);
    const result = noDoubleSale.check(history, goodState);
    expect(result.valid).toBe(false);
    expect(result.problems.join()).toContain("b2");
    expect(result.offenders).toEqual({ bookings: ["b1", "b2"], seats: ["s1"], ledger: [] });
  });

  it("names the bookings and seats of each problem, and nothing when there is none", () => {
    expect(noDoubleSale.check(winnerAndLoser, goodState).offenders).toEqual({ bookings: [], seats: [], ledger: [] });
    const history = historyOf([
      { bookingId: "p-b1", seat: "p-s1", user: "u1", status: 200 },
      { bookingId: "p-b10", seat: "p-s10", user: "u10", status: 200 },
    ]);
    const result = noDoubleSale.check(history, stateOf([sold("p-s10", "p-b10", "u10"), sold("p-s2", "p-b1", "u1")]));
    expect(result.problems).toEqual(["seat p-s2 is SOLD to booking p-b1, made for seat p-s1"]);
    expect(result.offenders).toEqual({ bookings: ["p-b1"], seats: ["p-s1", "p-s2"], ledger: [] });
  });

  it("rejects a seat sold to a booking whose client was told it failed", () => {
    const state = stateOf([sold("s1", "b2", "u2")]);
    expect(noDoubleSale.check(winnerAndLoser, state).valid).toBe(false);
  });

  it("rejects a seat sold to the right booking but the wrong user", () => {
    expect(noDoubleSale.check(winnerAndLoser, stateOf([sold("s1", "b1", "u2")])).valid).toBe(false);
  });

  it("rejects a seat sold to a booking nobody made", () => {
    expect(noDoubleSale.check(winnerAndLoser, stateOf([sold("s1", "ghost", "u9")])).valid).toBe(false);
  });

  it("allows an info booking to own the seat", () => {
    const history = historyOf([{ bookingId: "b1", seat: "s1", user: "u1", status: 0 }]);
    expect(noDoubleSale.check(history, goodState).valid).toBe(true);
  });
});

describe("no-lost-booking", () => {
  it("accepts a confirmed booking whose seat is SOLD to it", () => {
    expect(noLostBooking.check(winnerAndLoser, goodState).valid).toBe(true);
  });

  it("rejects a confirmed booking whose seat is AVAILABLE", () => {
    expect(noLostBooking.check(winnerAndLoser, stateOf([])).valid).toBe(false);
  });

  it("rejects a failed or unknown booking that still holds its seat once the system is quiet", () => {
    const held = { seatId: "s1", status: "RESERVED" as const, reservedBy: "u2", reservedUntil: Date.now() + 60_000, bookingId: "b2" };
    expect(noLostBooking.check(historyOf([{ bookingId: "b2", seat: "s1", user: "u2", status: 402 }]), stateOf([held])).valid).toBe(false);
    expect(noLostBooking.check(historyOf([{ bookingId: "b2", seat: "s1", user: "u2", status: 0 }]), stateOf([held])).valid).toBe(false);
  });

  it("rejects a confirmed booking whose seat went to someone else", () => {
    expect(noLostBooking.check(winnerAndLoser, stateOf([sold("s1", "b3", "u3")])).valid).toBe(false);
  });
});

describe("bookings-answered", () => {
  it("accepts bookings that were confirmed or refused, after any number of unknown attempts", () => {
    const retried = historyOf([
      { bookingId: "b1", seat: "s1", user: "u1", status: 0 },
      { bookingId: "b1", seat: "s1", user: "u1", status: 200 },
      { bookingId: "b2", seat: "s1", user: "u2", status: 409 },
    ]);
    expect(bookingsAnswered.check(retried, goodState).valid).toBe(true);
  });

  it("rejects a booking whose every attempt went unanswered", () => {
    const result = bookingsAnswered.check(
      historyOf([
        { bookingId: "b1", seat: "s1", user: "u1", status: 200 },
        { bookingId: "b2", seat: "s1", user: "u2", status: 0 },
      ]),
      goodState,
    );
    expect(result.valid).toBe(false);
    expect(result.offenders?.bookings).toEqual(["b2"]);
  });
});

describe("exactly-once-charge", () => {
  it("accepts one charge for the winner, replays included", () => {
    const ledger = [charge("b1", "s1"), charge("b1", "s1", { replay: true })];
    expect(exactlyOnceCharge.check(winnerAndLoser, stateOf([sold("s1", "b1", "u1")], ledger)).valid).toBe(true);
  });

  it("rejects a second fresh charge of one booking", () => {
    const ledger = [charge("b1", "s1"), charge("b1", "s1")];
    const result = exactlyOnceCharge.check(winnerAndLoser, stateOf([sold("s1", "b1", "u1")], ledger));
    expect(result.valid).toBe(false);
    expect(result.offenders).toEqual({ bookings: ["b1"], seats: ["s1"], ledger: [] });
  });

  it("rejects a charge of a failed booking, and accepts it once refunded", () => {
    const charged = [charge("b1", "s1"), charge("b2", "s1")];
    expect(exactlyOnceCharge.check(winnerAndLoser, stateOf([sold("s1", "b1", "u1")], charged)).valid).toBe(false);
    const refunded = [...charged, charge("b2", "s1", { kind: "refund" })];
    expect(exactlyOnceCharge.check(winnerAndLoser, stateOf([sold("s1", "b1", "u1")], refunded)).valid).toBe(true);
  });

  it("rejects a confirmed booking that was never charged", () => {
    expect(exactlyOnceCharge.check(winnerAndLoser, stateOf([sold("s1", "b1", "u1")], [])).valid).toBe(false);
  });

  it("does not count failed or injected-fault answers as money", () => {
    const ledger = [charge("b1", "s1", { status: 503, injected: true }), charge("b1", "s1"), charge("b2", "s1", { status: 402 })];
    expect(exactlyOnceCharge.check(winnerAndLoser, stateOf([sold("s1", "b1", "u1")], ledger)).valid).toBe(true);
  });
});

describe("refused-not-charged", () => {
  it("rejects a 409 loser that was charged, even if refunded", () => {
    const ledger = [charge("b1", "s1"), charge("b2", "s1"), charge("b2", "s1", { kind: "refund" })];
    const result = refusedNotCharged([409]).check(winnerAndLoser, stateOf([sold("s1", "b1", "u1")], ledger));
    expect(result.valid).toBe(false);
    expect(result.offenders).toEqual({ bookings: ["b2"], seats: ["s1"], ledger: [ledger[1]!.seq] });
    expect(refusedNotCharged([409]).check(winnerAndLoser, goodState).valid).toBe(true);
  });
});

describe("map-convergence", () => {
  it("accepts a view equal to the tickets, absent entries reading AVAILABLE", () => {
    expect(mapConvergence.check([], stateOf([sold("s1", "b1", "u1")], [], { s1: "SOLD", s2: "AVAILABLE" })).valid).toBe(true);
  });

  it("rejects a view that trails a ticket", () => {
    const result = mapConvergence.check([], stateOf([sold("s1", "b1", "u1")], [], { s1: "RESERVED" }));
    expect(result.valid).toBe(false);
    expect(result.offenders).toEqual({ bookings: [], seats: ["s1"], ledger: [] });
  });

  it("cannot judge a Worker without a SeatMap view, and names no one", () => {
    const result = mapConvergence.check([], { ...stateOf([sold("s1", "b1", "u1")]), seatMap: null });
    expect(result.valid).toBe("unknown");
    expect(result.offenders).toEqual({ bookings: [], seats: [], ledger: [] });
  });
});

describe("failure-statuses", () => {
  it("accepts 409 losers and rejects a 500 loser or an unanswered booking", () => {
    expect(failureStatuses([409]).check(winnerAndLoser, goodState).valid).toBe(true);
    const bad = historyOf([{ bookingId: "b2", seat: "s1", user: "u2", status: 500 }]);
    expect(failureStatuses([409]).check(bad, goodState).valid).toBe(false);
  });
});

describe("expectations", () => {
  it("expected-statuses rejects an op that got another status than it expected", () => {
    const history = historyOf([
      { bookingId: "b1", seat: "s1", user: "u1", status: 200, expectStatus: 200 },
      { bookingId: "b2", seat: "s1", user: "u2", status: 409, expectStatus: 409 },
    ]);
    expect(expectedStatuses.check(history, goodState).valid).toBe(true);
    const wrong = historyOf([{ bookingId: "b2", seat: "s1", user: "u2", status: 409, expectStatus: 402 }]);
    expect(expectedStatuses.check(wrong, goodState).valid).toBe(false);
    expect(expectedStatuses.check(wrong, goodState).offenders).toEqual({ bookings: ["b2"], seats: [], ledger: [] });
  });

  it("expected-statuses ignores unknown attempts but rejects a booking that never got a definite answer", () => {
    const retried = historyOf([
      { bookingId: "b1", seat: "s1", user: "u1", status: 0, expectStatus: 200 },
      { bookingId: "b1", seat: "s1", user: "u1", status: 200, expectStatus: 200 },
    ]);
    expect(expectedStatuses.check(retried, goodState).valid).toBe(true);
    const unanswered = historyOf([{ bookingId: "b1", seat: "s1", user: "u1", status: 0, expectStatus: 200 }]);
    expect(expectedStatuses.check(unanswered, goodState).valid).toBe(false);
  });

  it("keys-resolved rejects an idempotency key that did not become exactly one invocation", () => {
    const history = new History();
    const lookup = history.invoke("observer", "resolve-key", { idempotencyKey: "k" });
    history.complete(lookup, "fail", { found: 2 });
    expect(keysResolved.check(history.ops, goodState).valid).toBe(false);
  });

  it("same-answer-on-retry rejects a retry that got another answer", () => {
    const retried = historyOf([
      { bookingId: "b1", seat: "s1", user: "u1", status: 200, body: "ok" },
      { bookingId: "b1", seat: "s1", user: "u1", status: 409, body: "sold" },
    ]);
    expect(sameAnswerOnRetry.check(retried, goodState).valid).toBe(false);
    expect(sameAnswerOnRetry.check(winnerAndLoser, goodState).valid).toBe(true);
  });

  it("seats-sold rejects an unsold seat the workload expected sold", () => {
    const history = new History();
    history.expect("sold", { seats: ["s1"] });
    expect(seatsSold.check(history.ops, goodState).valid).toBe(true);
    history.expect("sold", { seats: ["s2"] });
    expect(seatsSold.check(history.ops, goodState).valid).toBe(false);
  });

  it("charge-attempts counts retries, not replays", () => {
    const ledger = [charge("b1", "s1", { status: 503 }), charge("b1", "s1"), charge("b1", "s1", { replay: true })];
    const history = new History();
    history.expect("charge-attempts", { bookingId: "b1", min: 2, max: 2 });
    expect(chargeAttempts.check(history.ops, stateOf([], ledger)).valid).toBe(true);
    history.expect("charge-attempts", { bookingId: "b1", min: 3, max: 4 });
    expect(chargeAttempts.check(history.ops, stateOf([], ledger)).valid).toBe(false);
  });

  it("observations reject a seat seen in the wrong state", () => {
    const history = new History();
    const op = history.invoke("observer", "observe", { seatId: "s1" });
    history.complete(op, "ok", { seatId: "s1", ticket: "RESERVED", map: "AVAILABLE", expect: { ticket: "AVAILABLE" }, note: "after a decline" });
    expect(observationsHold.check(history.ops, goodState).valid).toBe(false);
  });

  it("rejected-without-change rejects a 2xx or 5xx answer and a changed state", () => {
    const history = new History();
    const snap = history.invoke("observer", "snapshot", {});
    history.complete(snap, "ok", { tickets: goodState.tickets, seatMap: goodState.seatMap, ledgerLength: 1 });
    const raw = history.invoke("hostile", "raw", { name: "bad json" });
    history.complete(raw, "fail", { name: "bad json", status: 400 });
    expect(rejectedWithoutChange.check(history.ops, goodState).valid).toBe(true);
    const changed = rejectedWithoutChange.check(history.ops, stateOf([sold("s1", "b1", "u1"), sold("s2", "b9", "u9")], [charge("b1", "s1")]));
    expect(changed.valid).toBe(false);
    expect(changed.offenders).toEqual({ bookings: [], seats: ["s2"], ledger: [] });
    const accepted = history.invoke("hostile", "raw", { name: "huge id" });
    history.complete(accepted, "info", { name: "huge id", status: 500 });
    expect(rejectedWithoutChange.check(history.ops, goodState).valid).toBe(false);
  });

  it("rejected-without-change holds a 4xx to the stated status and wording", () => {
    const history = new History();
    const snap = history.invoke("observer", "snapshot", {});
    history.complete(snap, "ok", { tickets: goodState.tickets, seatMap: goodState.seatMap, ledgerLength: 1 });
    const big = history.invoke("hostile", "raw", { name: "oversize", expectBody: "over the limit" });
    history.complete(big, "fail", { status: 400, body: "Unrecognized key: pad" });
    expect(rejectedWithoutChange.check(history.ops, goodState).problems).toEqual([
      'oversize: HTTP 400 Unrecognized key: pad, expected the answer to say "over the limit"',
    ]);
    const other = new History();
    const snap2 = other.invoke("observer", "snapshot", {});
    other.complete(snap2, "ok", { tickets: goodState.tickets, seatMap: goodState.seatMap, ledgerLength: 1 });
    const unsigned = other.invoke("intruder", "raw", { name: "unsigned", expectStatus: 401 });
    other.complete(unsigned, "fail", { status: 404, body: "" });
    expect(rejectedWithoutChange.check(other.ops, goodState).valid).toBe(false);
  });

  it("rejected-without-change pins a change to the first snapshot that shows it, even if it was undone later", () => {
    const history = new History();
    for (const ledgerLength of [1, 2, 1]) {
      const snap = history.invoke("observer", "snapshot", {});
      history.complete(snap, "ok", { tickets: goodState.tickets, seatMap: goodState.seatMap, ledgerLength });
    }
    const grown = { ...goodState, ledger: [...goodState.ledger, charge("b9", "s9")] };
    const { valid, problems, offenders } = rejectedWithoutChange.check(history.ops, grown);
    expect(valid).toBe(false);
    expect(problems).toEqual(["ledgerLength changed by the snapshot at op 4: before 1, after 2"]);
    expect(offenders.ledger).toEqual([grown.ledger[1]!.seq]);
  });
});

describe("liveness", () => {
  it("accepts a quiet system and a hold still within its time", () => {
    const held = { seatId: "s2", status: "RESERVED" as const, reservedBy: "u2", reservedUntil: Date.now() + 60_000, bookingId: "b2" };
    expect(liveness.check([], stateOf([held])).valid).toBe(true);
  });

  it("rejects an invocation left busy, and a hold long past its end", () => {
    expect(liveness.check([], { ...goodState, busy: ["Checkout/process inv_1 backing-off"] }).valid).toBe(false);
    const stale = { seatId: "s2", status: "RESERVED" as const, reservedUntil: Date.now() - 60_000, reservedBy: "u2", bookingId: "b2" };
    expect(liveness.check([], stateOf([stale])).valid).toBe(false);
    expect(liveness.check([], stateOf([stale])).offenders).toEqual({ bookings: ["b2"], seats: ["s2"], ledger: [] });
  });
});
