import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { DeployCheckRecord } from "../harness/store/records.js";
import { newRunDir } from "../harness/store/run-dirs.js";
import { projectRoot } from "../harness/system/paths.js";
import { deployCheckJob } from "../jobs/deploy-check-job.js";

const recordIn = (runDir: string) => JSON.parse(readFileSync(join(runDir, "deploy-check.json"), "utf8")) as DeployCheckRecord;

describe("nexus deploy-check", () => {
  it("moves the reference Worker from the seat-owned design to the saga: versioned keeps every invariant, in place meets 570s", async () => {
    const runDir = newRunDir("test-deploy-check-designs");
    const code = await deployCheckJob({ from: { at: projectRoot }, to: { at: projectRoot, workerEnv: { BOOKING_DESIGN: "saga" } }, seed: 27, runDir });
    const record = recordIn(runDir);
    expect(code).toBe(0);
    expect(record).toMatchObject({ versionedSafe: true, inPlaceSafe: false });
    const inPlace = record.outcomes.find((o) => o.procedure === "in-place")!;
    expect(inPlace.journalMismatches).toBeGreaterThan(0);
    expect(inPlace.unanswered).toBeGreaterThan(0);
    expect(record.outcomes.find((o) => o.procedure === "versioned")!.drainMs).toBeGreaterThanOrEqual(0);
  });

  it("takes a test Worker's last commit (a git revision) to its working tree: versioned passes, in place harms nothing", async () => {
    const runDir = newRunDir("test-deploy-check-seat-fields");
    const workerDir = join(projectRoot, "scenarios", "workers", "seat-fields");
    const code = await deployCheckJob({ workerDir, from: { at: "HEAD" }, to: {}, seed: 27, runDir });
    const record = recordIn(runDir);
    expect(code).toBe(0);
    expect(record).toMatchObject({ versionedSafe: true, inPlaceSafe: true });
    expect(record.outcomes.find((o) => o.procedure === "in-place")!.mixedVersions).toBeGreaterThan(0);
  });

  it("refuses a version that is neither a folder nor a git revision, and writes nothing", async () => {
    await expect(deployCheckJob({ from: { at: "no-such-revision" }, to: {} })).rejects.toThrow(/neither a folder nor a git revision/);
  });
});
