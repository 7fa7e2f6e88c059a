import { describe, expect, it } from "vitest";
import { drawCases } from "../gates/hostile-input.js";
import { HOSTILE_KINDS } from "./hostile-kinds.js";

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
});
