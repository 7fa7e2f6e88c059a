import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { PaymentGateway } from "./gateway.js";
import { movedMoney } from "./ledger.js";

let gateway: PaymentGateway;

beforeEach(async () => {
  gateway = await PaymentGateway.start();
});

afterEach(async () => {
  await gateway.stop();
});

async function charge(method: string, key?: string, bookingId = "b1") {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (key) headers["idempotency-key"] = key;
  const response = await fetch(gateway.chargeUrl, {
    method: "POST",
    headers,
    body: JSON.stringify({ amount: 100, paymentMethodId: method, metadata: { bookingId, ticketId: "s1", userId: "u1" } }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe("payment gateway stand-in", () => {
  it("answers the contract's cards and records every request", async () => {
    expect((await charge("card_success", "k1")).status).toBe(200);
    expect((await charge("card_decline", "k2")).status).toBe(402);
    expect((await charge("card_error", "k3")).status).toBe(503);
    expect(gateway.entries().map((e) => [e.idempotencyKey, e.status])).toEqual([["k1", 200], ["k2", 402], ["k3", 503]]);
  });

  it("replays the first answer for a repeated key and moves money once", async () => {
    const first = await charge("card_success", "k1");
    const again = await charge("card_success", "k1");
    expect(again.body.transactionId).toBe(first.body.transactionId);
    expect(gateway.entries().filter(movedMoney)).toHaveLength(1);
    expect(gateway.entries()[1]?.replay).toBe(true);
  });

  it("charges every keyless request anew", async () => {
    await charge("card_success");
    await charge("card_success");
    expect(gateway.entries().filter(movedMoney)).toHaveLength(2);
  });

  it("injects 503s without consuming the key, then answers for real", async () => {
    gateway.setFaults({ failNextCharges: 2 });
    expect((await charge("card_success", "k1")).status).toBe(503);
    expect((await charge("card_success", "k1")).status).toBe(503);
    expect((await charge("card_success", "k1")).status).toBe(200);
    expect(gateway.entries().map((e) => e.injected)).toEqual([true, true, false]);
  });

  it("answers concurrent requests with one key once", async () => {
    gateway.setFaults({ latencyMs: 50 });
    const [a, b] = await Promise.all([charge("card_success", "k1"), charge("card_success", "k1")]);
    expect(a.body.transactionId).toBe(b.body.transactionId);
    expect(gateway.entries().filter(movedMoney)).toHaveLength(1);
  });

  it("holds a booking's charge until released", async () => {
    const held = gateway.holdCharge("b7");
    let answered = false;
    const pending = charge("card_success", "k7", "b7").then((r) => {
      answered = true;
      return r;
    });
    await held.arrived;
    expect(answered).toBe(false);
    held.release();
    expect((await pending).status).toBe(200);
  });

  it("refunds a successful charge once per refund key, and refuses an unknown charge", async () => {
    await charge("card_success", "k1");
    const refund = (key: string, chargeKey: string) =>
      fetch(`${gateway.chargeUrl}/refunds`, { method: "POST", headers: { "idempotency-key": key }, body: JSON.stringify({ chargeKey }) });
    expect((await refund("r1", "k1")).status).toBe(200);
    expect((await refund("r1", "k1")).status).toBe(200);
    expect((await refund("r2", "nope")).status).toBe(404);
    const refunds = gateway.entries().filter((e) => e.kind === "refund" && movedMoney(e));
    expect(refunds).toHaveLength(1);
    expect(refunds[0]?.bookingId).toBe("b1");
  });
});
