import { describe, expect, it } from "vitest";
import type { Op } from "./history.js";
import { stallsAfterFaults } from "./stalls.js";

function op(index: number, time: number, process: string, type: Op["type"], f: string, value: Record<string, unknown> = {}, invokeIndex?: number): Op {
  return { index, time, process, type, f, value, ...(invokeIndex === undefined ? {} : { invokeIndex }) };
}

describe("stalls after faults", () => {
  it("measures from the fault to the first answer of a checkout invoked after it, and the longest silence", () => {
    const history = [
      op(0, 0, "lane-0", "invoke", "checkout"),
      op(1, 1_000, "nemesis", "invoke", "isolate-one", { fault: "isolate-one" }),
      op(2, 1_050, "nemesis", "ok", "isolate-one", { fault: "isolate-one" }, 1),
      op(3, 1_100, "lane-1", "invoke", "checkout"),
      op(4, 1_500, "lane-0", "ok", "checkout", {}, 0), // invoked before the fault: not its first answer
      op(5, 4_100, "lane-1", "info", "checkout", {}, 3), // a timeout is no answer
      op(6, 4_200, "lane-1", "invoke", "checkout"),
      op(7, 4_600, "lane-1", "fail", "checkout", {}, 6),
      op(8, 6_000, "nemesis", "invoke", "heal", { fault: "heal" }),
      op(9, 6_010, "nemesis", "ok", "heal", { fault: "heal" }, 8),
      op(10, 6_100, "lane-1", "invoke", "checkout"),
      op(11, 6_300, "lane-1", "ok", "checkout", {}, 10),
    ];
    expect(stallsAfterFaults(history)).toEqual([
      { fault: "isolate-one", at: 1_000, firstAnswerMs: 3_600, longestSilenceMs: 3_100 },
      { fault: "heal", at: 6_000, firstAnswerMs: 300, longestSilenceMs: 300 },
    ]);
  });

  it("says when no answer came after a fault", () => {
    const history = [
      op(0, 0, "nemesis", "invoke", "bridge", { fault: "bridge" }),
      op(1, 10, "nemesis", "ok", "bridge", { fault: "bridge" }, 0),
      op(2, 5_000, "lane-0", "invoke", "checkout"),
    ];
    expect(stallsAfterFaults(history)).toEqual([{ fault: "bridge", at: 0, firstAnswerMs: undefined, longestSilenceMs: 5_000 }]);
  });
});
