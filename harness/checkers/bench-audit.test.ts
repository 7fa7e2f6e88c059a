import { describe, expect, it } from "vitest";
import { benchAudit } from "./bench-audit.js";
import { charge, sold, stateOf } from "./fixtures.js";

describe("bench audit", () => {
  it("accepts seats sold once, each paid once, and as many confirmations as sales", () => {
    const state = stateOf([sold("s1", "b1", "u1"), sold("s2", "b2", "u2")], [charge("b1", "s1"), charge("b2", "s2"), charge("b3", "s2", { status: 402 })]);
    expect(benchAudit(state, 2, "").valid).toBe(true);
  });

  it("rejects a double charge, a charge for nothing, and more confirmations than sales", () => {
    const base = [sold("s1", "b1", "u1")];
    expect(benchAudit(stateOf(base, [charge("b1", "s1"), charge("b1", "s1")]), 1, "").valid).toBe(false);
    expect(benchAudit(stateOf(base, [charge("b1", "s1"), charge("b9", "s1")]), 1, "").valid).toBe(false);
    expect(benchAudit(stateOf(base, [charge("b1", "s1")]), 2, "").valid).toBe(false);
  });

  it("rejects a charge without a key, under a key that names another seat, or for another cell's seat", () => {
    const base = [sold("s1", "b1", "u1")];
    expect(benchAudit(stateOf(base, [charge("b1", "s1", { idempotencyKey: null })]), 1, "").valid).toBe(false);
    const misnamed = charge("b1", "s1", { ticketId: "s2" });
    const result = benchAudit(stateOf(base, [misnamed]), 1, "");
    expect(result.valid).toBe(false);
    expect(result.offenders).toEqual({ bookings: ["b1"], seats: ["s2"], ledger: [misnamed.seq] });
    expect(benchAudit(stateOf([sold("c1-s1", "c1-b1", "u1")], [charge("c1-b1", "c1-s1"), charge("c2-b1", "c2-s1", { status: 402 })]), 1, "c1-").valid).toBe(
      true,
    );
    expect(benchAudit(stateOf([sold("c1-s1", "c1-b1", "u1")], [charge("c1-b1", "c1-s1"), charge("c2-b1", "c2-s1")]), 1, "c1-").valid).toBe(false);
  });
});
