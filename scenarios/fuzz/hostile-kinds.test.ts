import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { parseConfig } from "../../worker/config.js";
import { input } from "../../worker/input.js";
import { handleMockPayment } from "../../worker/mock-payment.js";
import { checkoutRequest, emptyRequest, keyPartId } from "../../worker/schemas.js";
import { drawCases } from "../gates/hostile-input.js";
import { HOSTILE_KINDS, type HostileCase } from "./hostile-kinds.js";

function schemaAccepts(schema: z.ZodType<unknown>, body: string | undefined): boolean {
  try {
    input(schema).deserialize(new TextEncoder().encode(body ?? ""));
    return true;
  } catch {
    return false;
  }
}

/** Whether the Worker's own input checks (schemas, key rules, the mock route) would let this case through. */
async function workerWouldAccept(c: HostileCase): Promise<boolean> {
  if (c.target === "worker") {
    const init: RequestInit = { method: c.method ?? "POST", body: c.body, headers: { "content-type": c.contentType ?? "", ...c.headers } };
    const response = await handleMockPayment(new Request(`http://worker${c.path}`, init), parseConfig({}));
    return response.status < 400;
  }
  if (c.path === "/Checkout/process") return schemaAccepts(checkoutRequest, c.body);
  const [, service, key] = c.path.split("/").map((part) => decodeURIComponent(part));
  if (service === "Ticket") return keyPartId.safeParse(key).success && schemaAccepts(emptyRequest, c.body);
  if (service === "SeatMap") return key === "global" && schemaAccepts(emptyRequest, c.body);
  throw new Error(`a hostile case for a path this test does not know: ${c.path}`);
}

describe("the hostile-input fuzzer", () => {
  it("has over 50 kinds, each named once", () => {
    expect(HOSTILE_KINDS.length).toBeGreaterThanOrEqual(50);
    expect(new Set(HOSTILE_KINDS.map((k) => k.name)).size).toBe(HOSTILE_KINDS.length);
  });

  it("draws at least 1,000 cases covering every kind, the same ones for the same seed", () => {
    const cases = drawCases("p-", 42, 1000);
    expect(cases.length).toBeGreaterThanOrEqual(1000);
    expect(new Set(cases.map((c) => c.kind))).toEqual(new Set(HOSTILE_KINDS.map((k) => k.name)));
    expect(drawCases("p-", 42, 1000)).toEqual(cases);
    expect(drawCases("p-", 43, 1000)).not.toEqual(cases);
  });

  it("keeps every id it sends under the run's prefix, so any state it wrongly creates is seen", () => {
    for (const c of drawCases("p-", 7, 300).filter((c) => c.path === "/Checkout/process" && c.body?.startsWith("{"))) {
      const ticketId = /"ticketId":"([^"]*)"/.exec(c.body!)?.[1];
      if (ticketId !== undefined && ticketId !== "") expect(ticketId.startsWith("p-") || !/^[A-Za-z0-9]/.test(ticketId), c.kind).toBe(true);
    }
  });

  it("draws only requests the Worker's own validation refuses, 100 draws of every kind (a 2xx in the gate is then the Worker's fault; a draw of `{` + `}` once was not)", async () => {
    for (const kind of HOSTILE_KINDS) {
      await fc.assert(
        fc.asyncProperty(kind.cases("p-"), async (c) => !(await workerWouldAccept(c))),
        { numRuns: 100, seed: 1 },
      );
    }
  });
});
