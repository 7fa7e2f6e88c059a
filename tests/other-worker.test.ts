import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { projectRoot } from "../harness/system/paths.js";
import { newRunDir } from "../harness/store/run-dirs.js";
import { readRun } from "../harness/store/run-store.js";
import { runJob } from "../jobs/run-job.js";

/** A second Worker: the reference's contract, its seats in another layout (object Seat, a state key per field). */
const SEAT_FIELDS = join(projectRoot, "scenarios", "workers", "seat-fields");
const CORE = ["double-booking", "decline-compensation", "crash-matrix", "booking-model"];

describe("any Worker under test: the seat-fields Worker, judged through its own state reader", () => {
  it("passes the core gates as it is, with the checkers it cannot take (no SeatMap view) left out by name", async () => {
    const runDir = newRunDir("test-other-worker");
    expect(await runJob({ gates: CORE, bench: false, worker: { dir: SEAT_FIELDS }, budgetMs: 20_000, runDir })).toBe(0);
    const run = readRun(runDir);
    expect(run.gates.map((g) => [g.spec.gate, g.spec.worker?.name, g.valid])).toEqual(CORE.map((gate) => [gate, "seat-fields", true]));
    expect(run.gates[0]!.skippedCheckers.map((c) => c.name)).toEqual(["map-convergence"]);
    // Its seats were read in its layout: the double-booking gate saw sold seats.
    expect(run.gates[0]!.results.find((r) => r.name === "seats-sold")?.stats.seats).toBeGreaterThan(0);
  });

  it("fails double-booking when given a defect (its reserve ignores another booking's hold)", async () => {
    const runDir = newRunDir("test-other-worker-defect");
    const code = await runJob({
      gates: ["double-booking"],
      bench: false,
      worker: { dir: SEAT_FIELDS },
      workerEnv: { SEAT_FIELDS_DEFECT: "ignore-holds" },
      runDir,
    });
    expect(code).toBe(1);
    const [gate] = readRun(runDir).gates;
    expect(gate!.results.find((r) => r.name === "no-double-sale")?.valid).toBe(false);
  });
});
