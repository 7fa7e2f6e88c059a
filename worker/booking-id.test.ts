import { describe, expect, it } from "vitest";
import { bookingIdFrom } from "./booking-id.js";
import { MAX_ID_LENGTH } from "./schemas.js";

describe("a booking's id", () => {
  it("is the client's bookingId, else the idempotency key, else the invocation's id", () => {
    expect(bookingIdFrom("b-1", "order-1", "inv_1")).toEqual({ id: "b-1" });
    expect(bookingIdFrom(undefined, "order-1", "inv_1")).toEqual({ id: "order-1" });
    expect(bookingIdFrom(undefined, undefined, "inv_1")).toEqual({ id: "inv_1" });
    expect(bookingIdFrom(undefined, "k".repeat(MAX_ID_LENGTH), "inv_1")).toEqual({ id: "k".repeat(MAX_ID_LENGTH) });
  });

  it("refuses an idempotency key that cannot name a booking, saying why", () => {
    const reasons = ["order#1", "a/b+c==", "x:seat:y", "k".repeat(MAX_ID_LENGTH + 1), ""].map((key) => bookingIdFrom(undefined, key, "inv_1"));
    expect(reasons.map((r) => ("refused" in r ? r.refused : `accepted as ${r.id}`))).toEqual([
      expect.stringContaining("may hold only letters, digits"),
      expect.stringContaining("may hold only letters, digits"),
      expect.stringContaining("may not hold ':'"),
      expect.stringContaining(`at most ${MAX_ID_LENGTH} characters`),
      expect.stringContaining("must not be empty"),
    ]);
  });
});
