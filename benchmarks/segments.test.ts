import { describe, expect, it } from "vitest";
import { executionSegments, segmentArgs } from "./segments.js";

describe("execution segments", () => {
  it("runs one instance unsplit", () => {
    expect(executionSegments(1)).toEqual([]);
  });

  it("splits two instances into halves sharing one sequence", () => {
    expect(executionSegments(2)).toEqual([
      { segment: "0:1/2", sequence: "0,1/2,1" },
      { segment: "1/2:1", sequence: "0,1/2,1" },
    ]);
    expect(segmentArgs(executionSegments(2)[1]!)).toEqual(["--execution-segment", "1/2:1", "--execution-segment-sequence", "0,1/2,1"]);
  });

  it("reduces the fractions k6 reads, and the segments cover 0 to 1 without gaps", () => {
    const four = executionSegments(4);
    expect(four.map((s) => s.segment)).toEqual(["0:1/4", "1/4:1/2", "1/2:3/4", "3/4:1"]);
    expect(four[0]!.sequence).toBe("0,1/4,1/2,3/4,1");
    const six = executionSegments(6).map((s) => s.segment.split(":"));
    expect(six[0]![0]).toBe("0");
    expect(six.at(-1)![1]).toBe("1");
    for (let i = 1; i < six.length; i++) expect(six[i]![0]).toBe(six[i - 1]![1]);
    expect(executionSegments(3).map((s) => s.segment)).toEqual(["0:1/3", "1/3:2/3", "2/3:1"]);
  });

  it("refuses a count that is not a positive integer", () => {
    expect(() => executionSegments(0)).toThrow(/positive integer/);
    expect(() => executionSegments(1.5)).toThrow(/positive integer/);
  });
});
