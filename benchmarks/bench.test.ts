import { describe, expect, it } from "vitest";
import { compareDesigns, goals } from "./bench.js";
import { cellLabel } from "../harness/store/records.js";
import { cellsFor, interleavedCells, loadEnvOf } from "./config.js";
import type { CellResult } from "./run-cell.js";

function result(over: Partial<CellResult>): CellResult {
  return {
    design: "saga",
    workload: "matrix",
    users: 50,
    seats: 1000,
    durationS: 8,
    gateway: "fast",
    requests: 0,
    confirmed: 0,
    conflicts: 0,
    declines: 0,
    errors: 0,
    requestsPerS: 0,
    confirmedPerS: 0,
    p50Ms: 0,
    p90Ms: 0,
    p99Ms: 0,
    p50ConfirmedMs: 0,
    p99ConfirmedMs: 0,
    p50RefusedMs: 0,
    p99RefusedMs: 0,
    maxMs: 0,
    droppedIterations: 0,
    invocationsPerConfirmed: null,
    workerRequestsPerConfirmed: null,
    workerCpuMsPerConfirmed: null,
    cpu: {},
    elapsedS: 8,
    audit: { valid: true, problems: [] },
    valid: true,
    ...over,
  };
}

describe("benchmark cells", () => {
  it("quick mode has the specified matrix: seats {1, 20, 1000} × users {10, 50, 200}, plus trivial, hot seat, open and the original gateway", () => {
    const labels = cellsFor("quick", "saga").map(cellLabel);
    for (const s of [1, 20, 1000]) for (const u of [10, 50, 200]) expect(labels).toContain(`matrix u${u} s${s} fast`);
    expect(labels).toEqual(
      expect.arrayContaining([
        "trivial u50 s1000 fast",
        "hot-seat u50 s1 fast",
        "hot-seat u50 s1 original",
        "hot-seat u50 s1 slow",
        "matrix u50 s1000 original",
        "open u300 s1000 r50 fast",
      ]),
    );
  });

  it("interleaves the designs cell by cell and filters by label", () => {
    const cells = interleavedCells("quick", ["saga", "seat-owned", "baseline"], "matrix u50 s1000");
    expect(cells.map((c) => `${c.design} ${cellLabel(c)}`)).toEqual([
      "saga matrix u50 s1000 fast",
      "seat-owned matrix u50 s1000 fast",
      "baseline matrix u50 s1000 fast",
      "saga matrix u50 s1000 original",
      "seat-owned matrix u50 s1000 original",
      "baseline matrix u50 s1000 original",
    ]);
  });
});

describe("the workload's environment", () => {
  it("names the target, the run's prefix and the cell, and nothing of the harness's files", () => {
    const [hot] = cellsFor("smoke", "saga").filter((c) => c.workload === "hot-seat");
    expect(loadEnvOf(hot!, "https://env.example:8080", "p-", 7)).toEqual({
      NEXUS_INGRESS: "https://env.example:8080",
      NEXUS_PREFIX: "p-",
      NEXUS_WORKLOAD: "hot-seat",
      NEXUS_USERS: "20",
      NEXUS_SEATS: "1",
      NEXUS_MIX: "card_success=90,card_decline=7,card_error=3",
      NEXUS_SEED: "7",
      NEXUS_ROUNDS: "2",
    });
    const open = cellsFor("quick", "saga").find((c) => c.workload === "open")!;
    expect(loadEnvOf(open, "http://127.0.0.1:1", "p-", 0)).toMatchObject({ NEXUS_WORKLOAD: "open", NEXUS_RATE: "10", NEXUS_DURATION: "8", NEXUS_USERS: "300" });
  });
});

describe("ratios and goals", () => {
  const trivial = result({ workload: "trivial", confirmedPerS: 600, workerRequestsPerConfirmed: 1 });
  const base = result({ design: "baseline", confirmedPerS: 30, p50Ms: 1000, p99Ms: 3000 });

  it("divides each design's cell by the baseline's cell of the same workload, never across workloads", () => {
    const ours = result({ confirmedPerS: 60, p50Ms: 500, p99Ms: 1500 });
    const other = result({ users: 10, confirmedPerS: 99 });
    expect(compareDesigns([trivial, ours, base, other])).toEqual([{ design: "saga", cell: "matrix u50 s1000 fast", confirmedPerS: 2, p50: 0.5, p99: 0.5 }]);
  });

  it("judges each design: the speed-up only at four times the baseline, at most 5 Worker requests, p99 of confirmed within 1 s, the ceiling at half of calls/s ÷ requests", () => {
    const slow = goals([trivial, base, result({ confirmedPerS: 119, workerRequestsPerConfirmed: 10, p99ConfirmedMs: 1000 })]);
    expect(slow["saga speedupOverBaseline"]).toMatchObject({ value: 3.97, met: false });
    expect(slow["saga workerRequestsPerConfirmed"]).toMatchObject({ value: 10, met: false });
    expect(slow["saga p99ConfirmedMs"]?.met).toBe(true);
    expect(slow["saga shareOfCallCeiling"]).toMatchObject({ value: 1.98, met: true });
    const seatOwned = result({ design: "seat-owned", confirmedPerS: 120, workerRequestsPerConfirmed: 5, p99ConfirmedMs: 1001 });
    const fast = goals([trivial, base, seatOwned, result({ design: "seat-owned", workload: "trivial", confirmedPerS: 600, workerRequestsPerConfirmed: 1 })]);
    expect(fast["seat-owned speedupOverBaseline"]?.met).toBe(true);
    expect(fast["seat-owned workerRequestsPerConfirmed"]?.met).toBe(true);
    expect(fast["seat-owned p99ConfirmedMs"]?.met).toBe(false);
    expect(fast["seat-owned shareOfCallCeiling"]).toMatchObject({ value: 1, met: true });
    expect(fast["saga speedupOverBaseline"]).toBeUndefined();
  });

  it("says 'not measured' rather than guessing when a cell is missing", () => {
    expect(goals([result({ confirmedPerS: 60 })])["saga speedupOverBaseline"]).toMatchObject({ value: null, met: null });
  });
});
