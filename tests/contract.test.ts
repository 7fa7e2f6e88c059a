import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readSeatMapView, readSeats } from "../harness/restate/state-reads.js";
import { newRunDir } from "../harness/store/run-dirs.js";
import { startStack, type Stack } from "../harness/stack/stack.js";
import { waitFor } from "../harness/system/wait.js";
import { workerUnderTest } from "./worker-under-test.js";

// The proof of concept's public contract (docs/proof-of-concept.md), as its own clients use it: a Worker under
// test that does not offer it (no demo API or mock payment route) skips this file, saying so.
const worker = await workerUnderTest();
const reference = worker.description;
const { demoApi, mockPaymentRoute } = reference.capabilities;
const lacks =
  demoApi && mockPaymentRoute ? undefined : `the Worker under test (${reference.name}) does not offer the proof of concept's demo API and mock payment route`;
if (lacks) console.log(`contract tests skipped: ${lacks}`);
const JSON_TYPE = { "content-type": "application/json" };
let stack: Stack;
const seat = (name: string) => `contract-${name}`;

beforeAll(async () => {
  if (lacks) return;
  // The proof of concept's contract, as its scripts use it: the demo's public API and the mock payment route.
  stack = await startStack({
    runDir: newRunDir("test-contract"),
    worker,
    workerEnv: { PUBLIC_DEMO_API: "true", MOCK_PAYMENT_ROUTE: "true" },
  });
});

afterAll(async () => {
  await stack?.stop();
});

describe.skipIf(lacks !== undefined)("the proof of concept's ingress contract", () => {
  it("an unknown seat reads as AVAILABLE, exactly as the proof of concept's clients expect", async () => {
    const result = await stack.client.post(`/Ticket/${seat("unknown")}/get`, "{}", JSON_TYPE);
    expect(result.status).toBe(200);
    expect(result.body).toBe('{"status":"AVAILABLE","reservedBy":null,"reservedUntil":null}');
  });

  it("keeps the error texts the proof of concept's clients match on", async () => {
    const ok = await stack.client.checkout({ ticketId: seat("texts"), userId: "u1" });
    expect(ok).toMatchObject({ status: 200, body: '"Booking Confirmed"' });
    const sold = await stack.client.checkout({ ticketId: seat("texts"), userId: "u2" });
    expect(sold.status).toBe(409);
    expect(sold.body).toContain("already sold");
    const declined = await stack.client.checkout({ ticketId: seat("texts-2"), userId: "u1", paymentMethodId: "card_decline" });
    expect(declined.status).toBe(402);
    expect(declined.body).toContain("Payment failed");
    expect(declined.body).toContain("Payment declined");
    const gateway = await stack.client.checkout({ ticketId: seat("texts-3"), userId: "u1", paymentMethodId: "card_error" });
    expect(gateway.status).toBe(503);
    expect(gateway.body).toContain("Payment failed");
    expect(gateway.body).toContain("Gateway timeout");
    const sold2 = await stack.client.post(`/Ticket/${seat("texts")}/get`, "{}", JSON_TYPE);
    expect(JSON.parse(sold2.body)).toEqual({ status: "SOLD", reservedBy: "u1", reservedUntil: null });
  });

  it("reserve, confirm and release by hand, as the proof of concept's shell scripts do", async () => {
    const s = seat("manual");
    expect((await stack.client.post(`/Ticket/${s}/reserve`, '"u1"', JSON_TYPE)).status).toBe(200);
    expect((await stack.client.post(`/Ticket/${s}/reserve`, '"u1"', JSON_TYPE)).status).toBe(200);
    const other = await stack.client.post(`/Ticket/${s}/reserve`, '"u2"', JSON_TYPE);
    expect(other.status).toBe(409);
    expect(other.body).toContain("Ticket is currently reserved");
    expect((await stack.client.post(`/Ticket/${s}/confirm`, undefined)).status).toBe(200);
    expect((await readSeats(stack.restate.adminUrl, reference, s))[s]).toMatchObject({ status: "SOLD", reservedBy: "u1" });
    expect((await stack.client.post(`/Ticket/${s}/release`, undefined)).status).toBe(200);
    expect((await readSeats(stack.restate.adminUrl, reference, s))[s]).toMatchObject({ status: "AVAILABLE" });
    expect((await stack.client.post(`/Ticket/${s}/cleanup`, undefined)).status).toBe(200);
  });

  it("the SeatMap follows the tickets, and GameManager/reset frees the demo seats", async () => {
    const admin = stack.restate.adminUrl;
    expect((await stack.client.checkout({ ticketId: "seat-7", userId: "u7" })).status).toBe(200);
    await waitFor(async () => (await readSeatMapView(admin, reference, "seat-7"))?.["seat-7"] === "SOLD", {
      timeoutMs: 15_000,
      what: "the map to show seat-7 SOLD",
    });
    const map = await stack.client.post("/SeatMap/global/get", undefined);
    expect(JSON.parse(map.body)).toContainEqual({ id: "seat-7", status: "SOLD" });
    expect((await stack.client.post("/GameManager/reset", undefined)).status).toBe(200);
    // The reset's one-way sends can be between partitions, in no invocation yet, when its own call has answered.
    await waitFor(
      async () =>
        (await readSeats(admin, reference, "seat-7"))["seat-7"]?.status === "AVAILABLE" &&
        (await readSeatMapView(admin, reference, "seat-7"))?.["seat-7"] === "AVAILABLE",
      { timeoutMs: 15_000, what: "the reset to free seat-7 in its Ticket and in the SeatMap" },
    );
  });

  it("the auto-reset is off unless the Worker's environment turns it on", async () => {
    expect(stack.workerEnv.AUTO_RESET_AT).toBeUndefined();
    const admin = stack.restate.adminUrl;
    // Fifty more seats SOLD: the proof of concept reset its map at fifty, which would clear these from the view.
    const seats = Array.from({ length: 50 }, (_, i) => seat(`fill-${i + 1}`));
    const results = await Promise.all(seats.map((s, i) => stack.client.checkout({ ticketId: s, userId: `fill-${i}` })));
    expect(results.every((r) => r.status === 200)).toBe(true);
    await waitFor(
      async () => {
        const view = (await readSeatMapView(admin, reference, seat("fill-"))) ?? {};
        return seats.every((s) => view[s] === "SOLD");
      },
      { timeoutMs: 15_000, what: "the SeatMap to show all fifty seats SOLD, none cleared by a reset" },
    );
    const tickets = await readSeats(admin, reference, seat("fill-"));
    expect(seats.every((s) => tickets[s]?.status === "SOLD")).toBe(true);
  });
});

describe.skipIf(lacks !== undefined)("POST /api/mock-payment on the Worker", () => {
  const pay = (body: unknown, headers: Record<string, string> = {}, method = "POST") =>
    fetch(`${stack.worker.url}/api/mock-payment`, {
      method,
      headers: { ...JSON_TYPE, ...headers },
      body: method === "POST" ? JSON.stringify(body) : undefined,
    });

  it("answers each card as the contract says", async () => {
    const ok = await pay({ amount: 100, paymentMethodId: "card_success" });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ success: true, transactionId: expect.any(String) });
    const declined = await pay({ amount: 100, paymentMethodId: "card_decline" });
    expect([declined.status, await declined.json()]).toEqual([402, { error: "Insufficient funds" }]);
    const failed = await pay({ amount: 100, paymentMethodId: "card_error" });
    expect([failed.status, await failed.json()]).toEqual([503, { error: "Gateway timeout" }]);
  });

  it("answers 405 to other methods and 400 to a malformed body", async () => {
    expect((await pay(undefined, {}, "GET")).status).toBe(405);
    expect((await pay({ amount: "lots" })).status).toBe(400);
    const notJson = await fetch(`${stack.worker.url}/api/mock-payment`, { method: "POST", body: "{nope" });
    expect(notJson.status).toBe(400);
  });

  it("answers a repeated Idempotency-Key with the first answer", async () => {
    const key = { "idempotency-key": `contract-${Date.now()}` };
    const first = (await (await pay({ amount: 100, paymentMethodId: "card_success" }, key)).json()) as { transactionId: string };
    const again = (await (await pay({ amount: 100, paymentMethodId: "card_success" }, key)).json()) as { transactionId: string };
    expect(again.transactionId).toBe(first.transactionId);
  });
});
