import { describe, expect, it } from "vitest";
import type { CellRecord } from "./records.js";
import type { StoredRun } from "./run-store.js";
import { runVerdict } from "./verdict.js";

const empty: StoredRun = { dir: "/tmp/r", name: "r", seed: 1, durationMs: 0, gates: [], bench: null, compare: null, summary: null, skipped: [], cores: 2 };

function cell(audit: boolean, valid: boolean): CellRecord {
  return {
    design: "saga",
    workload: "open",
    users: 300,
    seats: 1000,
    rate: 50,
    durationS: 8,
    gateway: "fast",
    requests: 1,
    confirmed: 1,
    conflicts: 0,
    declines: 0,
    errors: 0,
    requestsPerS: 1,
    confirmedPerS: 1,
    p50Ms: 1,
    p90Ms: 1,
    p99Ms: 1,
    p50ConfirmedMs: 1,
    p99ConfirmedMs: 1,
    p50RefusedMs: 1,
    p99RefusedMs: 1,
    maxMs: 1,
    droppedIterations: valid ? 0 : 12,
    invocationsPerConfirmed: null,
    workerRequestsPerConfirmed: null,
    workerCpuMsPerConfirmed: null,
    cpu: {},
    elapsedS: 8,
    audit: { valid: audit, problems: audit ? [] : ["seat sold twice"] },
    valid: audit && valid,
  };
}

const bench = (cells: CellRecord[]): StoredRun["bench"] => ({
  folder: "bench",
  file: "bench/bench.json",
  dashboards: [],
  size: "quick",
  seed: 1,
  versions: {},
  cores: 2,
  cells,
  comparisons: [],
  goals: {},
});

describe("runVerdict", () => {
  it("calls a run whose gates were all skipped NOTHING JUDGED, not a pass", () => {
    const verdict = runVerdict({ ...empty, skipped: [{ gate: "restate-crash", reason: "remote" }] });
    expect(verdict).toEqual({ status: "empty", headline: "NOTHING JUDGED: 0 of 0 gates passed, 1 skipped" });
  });

  it("passes a cell that dropped iterations but says it is unmeasured; fails a cell whose audit failed", () => {
    expect(runVerdict({ ...empty, bench: bench([cell(true, true), cell(true, false)]) })).toEqual({
      status: "pass",
      headline: "PASS: 2 of 2 benchmark cells audited valid (1 unmeasured: iterations dropped)",
    });
    expect(runVerdict({ ...empty, bench: bench([cell(true, true), cell(false, false)]) }).status).toBe("fail");
  });
});
