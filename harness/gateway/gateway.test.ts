import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { waitFor } from "../system/wait.js";
import { PaymentGateway } from "./gateway.js";
import { movedMoney } from "./ledger.js";

let gateway: PaymentGateway;

beforeEach(async () => {
  gateway = await PaymentGateway.start();
});

afterEach(async () => {
  await gateway.stop();
});

async function charge(method: string, key?: string, bookingId = "b1", options: { ticketId?: string; amount?: number; timeoutMs?: number } = {}) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (key) headers["idempotency-key"] = key;
  const response = await fetch(gateway.chargeUrl, {
    method: "POST",
    headers,
    body: JSON.stringify({ amount: options.amount ?? 100, paymentMethodId: method, metadata: { bookingId, ticketId: options.ticketId ?? "s1", userId: "u1" } }),
    signal: options.timeoutMs === undefined ? undefined : AbortSignal.timeout(options.timeoutMs),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function lookup(reference: string) {
  const response = await fetch(`${gateway.chargeUrl}/charges?reference=${encodeURIComponent(reference)}`);
  return (await response.json()) as { charges: Array<{ state: string; transactionId: string | null; refunded: boolean }> };
}

/** Waits until the gateway is processing a charge under `reference`. */
const arrived = (reference: string) =>
  waitFor(async () => (await lookup(reference)).charges.some((c) => c.state === "processing"), { timeoutMs: 5_000, what: `a charge under ${reference}` });

const refund = (key: string, chargeKey: string) =>
  fetch(`${gateway.chargeUrl}/refunds`, { method: "POST", headers: { "idempotency-key": key }, body: JSON.stringify({ chargeKey }) });

describe("payment gateway stand-in", () => {
  it("answers the contract's cards and records every request", async () => {
    expect((await charge("card_success", "k1")).status).toBe(200);
    expect((await charge("card_decline", "k2")).status).toBe(402);
    expect((await charge("card_error", "k3")).status).toBe(503);
    expect(gateway.entries().map((e) => [e.idempotencyKey, e.status])).toEqual([
      ["k1", 200],
      ["k2", 402],
      ["k3", 503],
    ]);
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

  it("refuses a request whose key is still being processed with 409, without attaching it to the first", async () => {
    gateway.setFaults({ latencyMs: 200 });
    const first = charge("card_success", "k1");
    await arrived("k1");
    const second = await charge("card_success", "k1");
    expect(second.status).toBe(409);
    expect((await first).status).toBe(200);
    const charges = gateway.entries().filter((e) => e.kind === "charge");
    expect(charges.map((e) => [e.status, e.conflict])).toEqual([
      [409, "in-flight"],
      [200, undefined],
    ]);
    expect(gateway.entries().filter(movedMoney)).toHaveLength(1);
  });

  it("refuses a key reused with other parameters (amount, card, seat or booking) with 400, and moves no money", async () => {
    await charge("card_success", "k1");
    for (const other of [
      charge("card_success", "k1", "b2"),
      charge("card_success", "k1", "b1", { ticketId: "s2" }),
      charge("card_success", "k1", "b1", { amount: 200 }),
      charge("card_decline", "k1"),
    ]) {
      const answer = await other;
      expect(answer.status).toBe(400);
      expect(String(answer.body.error)).toContain("same parameters");
    }
    expect(gateway.entries().filter(movedMoney)).toHaveLength(1);
  });

  it("completes a charge slower than its caller's timeout and moves the money", async () => {
    gateway.setFaults({ latencyMs: 300 });
    await expect(charge("card_success", "k1", "b1", { timeoutMs: 50 })).rejects.toThrow();
    await gateway.whenIdle();
    expect(gateway.entries().filter(movedMoney)).toHaveLength(1);
    expect((await lookup("k1")).charges).toMatchObject([{ state: "succeeded", refunded: false }]);
  });

  it("forgets keys when told to, or after their retention: the next request with the key is a new charge", async () => {
    await charge("card_success", "k1");
    expect(gateway.forgetKeys()).toBe(1);
    await charge("card_success", "k1");
    gateway.setFaults({ forgetKeysAfterMs: 0 });
    await charge("card_success", "k1");
    expect(gateway.entries().filter(movedMoney)).toHaveLength(3);
    expect((await lookup("k1")).charges).toHaveLength(3);
  });

  it("in the stripe profile stores a 5xx under its key, so a retry with the key gets the same 5xx", async () => {
    gateway.setProfile("stripe");
    gateway.setFaults({ failNextCharges: 1 });
    expect((await charge("card_success", "k1")).status).toBe(503);
    expect((await charge("card_success", "k1")).status).toBe(503);
    expect(gateway.entries().map((e) => e.replay)).toEqual([false, true]);
    expect((await lookup("k1")).charges).toMatchObject([{ state: "failed" }]);
  });

  it("finds the charges made under a reference, while they are processed and after", async () => {
    expect((await lookup("k1")).charges).toEqual([]);
    gateway.setFaults({ latencyMs: 200 });
    const pending = charge("card_decline", "k1");
    await arrived("k1");
    await pending;
    expect((await lookup("k1")).charges).toMatchObject([{ state: "declined", transactionId: null }]);
    expect(gateway.entries().filter((e) => e.kind === "lookup").length).toBeGreaterThanOrEqual(3);
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

  it("releases every held charge at once, one that arrived and one still to come", async () => {
    const arrivedHold = gateway.holdCharge("b8");
    gateway.holdCharge("b9");
    const first = charge("card_success", "k8", "b8");
    await arrivedHold.arrived;
    gateway.releaseHolds();
    expect((await first).status).toBe(200);
    expect((await charge("card_success", "k9", "b9")).status).toBe(200);
    await gateway.whenIdle(5_000);
  });

  it("refunds a successful charge once, and refuses an unknown or already refunded charge", async () => {
    await charge("card_success", "k1");
    expect((await refund("r1", "k1")).status).toBe(200);
    expect((await refund("r1", "k1")).status).toBe(200);
    expect((await refund("r2", "k1")).status).toBe(400);
    expect((await refund("r3", "nope")).status).toBe(404);
    expect((await lookup("k1")).charges).toMatchObject([{ state: "succeeded", refunded: true }]);
    const refunds = gateway.entries().filter((e) => e.kind === "refund" && movedMoney(e));
    expect(refunds).toHaveLength(1);
    expect(refunds[0]?.bookingId).toBe("b1");
  });

  it("refuses an idempotency key over 255 characters with 400 and processes nothing", async () => {
    expect((await charge("card_success", "k".repeat(255))).status).toBe(200);
    const tooLong = await charge("card_success", "k".repeat(256));
    expect(tooLong.status).toBe(400);
    expect(String(tooLong.body.error)).toContain("255");
    expect((await refund("r".repeat(256), "k".repeat(255))).status).toBe(400);
    expect(gateway.entries().filter(movedMoney)).toHaveLength(1);
    expect((await lookup("k".repeat(255))).charges).toMatchObject([{ refunded: false }]);
  });

  it("fails the next refunds with 503 without refunding, when told to", async () => {
    await charge("card_success", "k1");
    gateway.setFaults({ failNextRefunds: 1 });
    expect((await refund("r1", "k1")).status).toBe(503);
    expect((await lookup("k1")).charges).toMatchObject([{ refunded: false }]);
    expect((await refund("r1", "k1")).status).toBe(200);
    expect(
      gateway
        .entries()
        .filter((e) => e.kind === "refund")
        .map((e) => [e.status, e.injected]),
    ).toEqual([
      [503, true],
      [200, false],
    ]);
  });

  it("refunds, then loses the answer, when told to: a retry with the key gets the stored answer, or 400 once keys are forgotten", async () => {
    await charge("card_success", "k1");
    gateway.setFaults({ resetNextRefunds: 1 });
    await expect(refund("r1", "k1")).rejects.toThrow();
    expect((await lookup("k1")).charges).toMatchObject([{ refunded: true }]);
    expect((await refund("r1", "k1")).status).toBe(200);
    await charge("card_success", "k2");
    gateway.setFaults({ resetNextRefunds: 1, forgetRefundKeys: true });
    await expect(refund("r2", "k2")).rejects.toThrow();
    const retried = await refund("r2", "k2");
    expect(retried.status).toBe(400);
    expect(await retried.text()).toContain("already refunded");
    expect(
      gateway
        .entries()
        .filter((e) => e.kind === "refund" && movedMoney(e))
        .map((e) => [e.chargeKey, e.reset]),
    ).toEqual([
      ["k1", true],
      ["k2", true],
    ]);
  });
});
