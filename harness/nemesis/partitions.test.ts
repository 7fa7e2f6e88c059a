import { describe, expect, it } from "vitest";
import { Random } from "../system/random.js";
import { bridge, isolateOne, linksAcross, linksAroundHub, majorityMinority } from "./partitions.js";

describe("network faults", () => {
  const nodes = [1, 2, 3];

  it("isolating a node cuts exactly its links", () => {
    expect(isolateOne(2, nodes).cuts).toEqual([
      [1, 2],
      [2, 3],
    ]);
    expect(linksAcross([1, 2], [1, 2, 3, 4, 5])).toEqual([
      [1, 3],
      [1, 4],
      [1, 5],
      [2, 3],
      [2, 4],
      [2, 5],
    ]);
  });

  it("a bridge keeps every link of its hub and cuts the rest", () => {
    expect(bridge(2, nodes).cuts).toEqual([[1, 3]]);
    expect(linksAroundHub(1, [1, 2, 3, 4])).toEqual([
      [2, 3],
      [2, 4],
      [3, 4],
    ]);
  });

  it("a majority/minority split leaves a strict majority together", () => {
    for (const count of [3, 4, 5]) {
      const all = Array.from({ length: count }, (_, i) => i + 1);
      for (let seed = 1; seed <= 20; seed++) {
        const fault = majorityMinority(all, new Random(seed));
        const minority = fault.detail.minority as number[];
        expect(minority.length).toBeGreaterThanOrEqual(1);
        expect(minority.length * 2).toBeLessThan(count);
        expect(new Set(minority).size).toBe(minority.length);
        expect(fault.cuts).toEqual(linksAcross(minority, all));
      }
    }
  });
});
