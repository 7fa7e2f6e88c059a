import { describe, expect, it } from "vitest";
import { parseConfig } from "./config.js";

describe("worker config", () => {
  it("defaults to the proof of concept's behaviour: simulated payment, 15-minute holds, no auto-reset", () => {
    const config = parseConfig(undefined);
    expect(config).toMatchObject({ paymentUrl: undefined, holdTtlMs: 900_000, simulatedPaymentDelayMs: 500, emailDelayMs: 200, autoResetAt: 0 });
  });

  it("reads the environment, and keeps the default for a value that does not parse", () => {
    const config = parseConfig({ PAYMENT_URL: " http://gw/charge ", HOLD_TTL_MS: "2000", PAYMENT_MAX_ATTEMPTS: "0", EMAIL_DELAY_MS: "soon" });
    expect(config).toMatchObject({ paymentUrl: "http://gw/charge", holdTtlMs: 2000, paymentMaxAttempts: 1, emailDelayMs: 200 });
  });

  it("serves the seat-owned design unless BOOKING_DESIGN names the saga", () => {
    expect(parseConfig(undefined).design).toBe("seat-owned");
    expect(parseConfig({ BOOKING_DESIGN: " saga " }).design).toBe("saga");
    expect(parseConfig({ BOOKING_DESIGN: "seat-owned" }).design).toBe("seat-owned");
    expect(parseConfig({ BOOKING_DESIGN: "sagas" }).design).toBe("seat-owned");
  });
});
