import { readFileSync } from "node:fs";
import type { Profiler } from "node:inspector";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { describeCell, describeProfile, runBench } from "../benchmarks/bench.js";
import { benchSkipReason } from "../benchmarks/locust.js";
import { projectRoot } from "../harness/system/paths.js";
import { newRunDir } from "../harness/store/run-dirs.js";
import { resolveWorker, type PreparedWorker, type WorkerUnderTest } from "../harness/worker/worker-under-test.js";
import reference from "../nexus-worker.js";
import { workerUnderTest } from "./worker-under-test.js";

// `nexus bench --profile` on the Worker under test and on a team's Worker: one small cell each, profiled through the
// Worker's inspector, its CPU per Worker request split by program and by the bundle's packages.
const skip = await benchSkipReason();
const SEAT_FIELDS = join(projectRoot, "scenarios", "workers", "seat-fields");

/** Runs one profiled hot-seat cell (20 users, 2 rounds on one seat) of `worker`; returns the cell and its folder. */
async function profiledCell(worker: PreparedWorker | WorkerUnderTest, label: string) {
  const dir = newRunDir(`test-bench-profile-${label}`);
  const { bench } = await runBench({
    size: "smoke",
    designs: ["seat-owned"],
    dashboard: false,
    only: "hot-seat u20 s1 fast",
    seed: 7,
    dir,
    worker,
    baseline: reference,
    profile: true,
    onEvent: (event) => {
      if (event.kind === "log") return console.log(event.message);
      for (const line of [describeCell(event.result), ...describeProfile(event.result)]) console.log(line);
    },
  });
  expect(bench.cells).toHaveLength(1);
  return { cell: bench.cells[0]!, dir };
}

describe.skipIf(skip !== undefined)(`nexus bench --profile${skip ? ` (skipped: ${skip})` : ""}`, () => {
  it.each([
    ["the Worker under test", "under-test", () => workerUnderTest()],
    ["the seat-fields test Worker", "seat-fields", () => resolveWorker({ dir: SEAT_FIELDS })],
  ] as const)("profiles %s: its isolate's CPU per Worker request, by program and by the bundle's packages", async (_, label, worker) => {
    const { cell, dir } = await profiledCell(await worker(), label);
    expect(cell.audit).toEqual({ valid: true, problems: [] });
    const profile = cell.profile!;
    expect(profile, "a profiled cell carries its profile").toBeDefined();
    expect(profile.workerRequests).toBeGreaterThanOrEqual(cell.confirmed);
    const stored = JSON.parse(readFileSync(join(dir, profile.file), "utf8")) as Profiler.Profile;
    expect(stored.samples?.length, "the .cpuprofile holds the samples").toBeGreaterThan(0);
    const { isolate, cpuMsPerWorkerRequest } = profile;
    expect(isolate.busyMs).toBeGreaterThan(0);
    expect(isolate.busyMs).toBeLessThanOrEqual(isolate.sampledMs);
    const partsMs = isolate.parts.reduce((sum, p) => sum + p.ms, 0);
    expect(Math.abs(partsMs - isolate.busyMs), "the parts add up to the busy time").toBeLessThan(0.1 * isolate.parts.length + 0.1);
    // Every Worker request runs the Restate SDK: its package is found in the bundle by its module comments.
    expect(isolate.parts.map((p) => p.part)).toEqual(expect.arrayContaining([expect.stringMatching(/^@restatedev\//)]));
    // The stack signs every request and both Workers check it: the check, with the wasm it runs, shows apart.
    const check = isolate.steps.find((s) => s.step.startsWith("the request signature's check"));
    expect(check?.ms, "the request signature's check shows in the profile").toBeGreaterThan(0);
    expect(check!.ms).toBeLessThanOrEqual(isolate.busyMs);
    expect(cpuMsPerWorkerRequest["workerd isolate (profiled)"]).toBeGreaterThan(0);
    expect(cpuMsPerWorkerRequest["restate-server"]).toBeGreaterThan(0);
    expect(cpuMsPerWorkerRequest.workerd).toBeGreaterThan(0);
  });
});
