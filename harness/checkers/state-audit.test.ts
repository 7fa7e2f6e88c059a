import { describe, expect, it } from "vitest";
import { sold } from "./fixtures.js";
import { stateAudit } from "./state-audit.js";
import type { TicketRecord } from "../worker/worker-description.js";

const tickets = (...records: TicketRecord[]) => Object.fromEntries(records.map((t) => [t.seatId, t]));
const available = (seat: string): TicketRecord => ({ seatId: seat, status: "AVAILABLE", reservedBy: null, reservedUntil: null, bookingId: null });

describe("state audit (Restate's state alone)", () => {
  it("accepts seats each SOLD to its own booking of the run, as many as clients were told confirmed", () => {
    const result = stateAudit({ tickets: tickets(sold("r-s1", "r-b1", "u1"), sold("r-s2", "r-b2", "u2"), available("r-s3")), busy: [] }, "r-", 2);
    expect(result.valid).toBe(true);
    expect(result.stats).toEqual({ seats: 3, sold: 2, reserved: 0, available: 1, confirmed: 2 });
    expect(stateAudit({ tickets: tickets(sold("r-s1", "r-b1", "u1")), busy: [] }, "r-").valid).toBe(true);
  });

  it("rejects a confirmation count that differs from the seats sold, either way", () => {
    const state = { tickets: tickets(sold("r-s1", "r-b1", "u1")), busy: [] };
    expect(stateAudit(state, "r-", 2).problems).toEqual(["clients were told 2 bookings confirmed, but 1 seats are SOLD"]);
    expect(stateAudit(state, "r-", 0).valid).toBe(false);
  });

  it("rejects a booking owning two seats, a seat sold to no booking or another run's, and busy invocations", () => {
    const twice = stateAudit({ tickets: tickets(sold("r-s1", "r-b1", "u1"), sold("r-s2", "r-b1", "u1")), busy: [] }, "r-");
    expect(twice.valid).toBe(false);
    expect(twice.offenders).toEqual({ bookings: ["r-b1"], seats: ["r-s1", "r-s2"], ledger: [] });
    expect(stateAudit({ tickets: tickets({ ...sold("r-s1", "x", "u1"), bookingId: null }), busy: [] }, "r-").valid).toBe(false);
    expect(stateAudit({ tickets: tickets(sold("r-s1", "other-b1", "u1")), busy: [] }, "r-").valid).toBe(false);
    expect(stateAudit({ tickets: {}, busy: ["Ticket/r-s1/book inv_1 backing-off"] }, "r-").valid).toBe(false);
  });
});
