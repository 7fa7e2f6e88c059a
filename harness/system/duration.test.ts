import { describe, expect, it } from "vitest";
import { parseDuration } from "./duration.js";

describe("parseDuration", () => {
  it("reads ms, s, m, h and bare seconds", () => {
    expect([parseDuration("2500ms", "x"), parseDuration("90s", "x"), parseDuration("10m", "x"), parseDuration("1h", "x"), parseDuration("1.5", "x")]).toEqual([
      2_500, 90_000, 600_000, 3_600_000, 1_500,
    ]);
  });

  it("refuses anything else with the option's name", () => {
    expect(() => parseDuration("ten minutes", "--budget")).toThrow(/--budget takes a duration/);
  });
});
