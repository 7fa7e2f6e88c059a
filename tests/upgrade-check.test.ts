import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it, type TestContext } from "vitest";
import { runGateOnFreshStack } from "../harness/runner/run-gate.js";
import { restateBinary } from "../harness/runtime/binary-runtime.js";
import { restateRelease } from "../harness/runtime/restate-release.js";
import { capabilitiesOf } from "../harness/stack/stack.js";
import type { UpgradeCheckRecord } from "../harness/store/records.js";
import { newRunDir } from "../harness/store/run-dirs.js";
import { upgradeCheckJob } from "../jobs/upgrade-check-job.js";
import { UPGRADE_FROM_RELEASE } from "../scenarios/deploys/server-upgrades.js";
import { serverUpgradeMidFlight } from "../scenarios/gates/deploy-mid-flight.js";
import { workerUnderTest } from "./worker-under-test.js";

const worker = await workerUnderTest();
const recordIn = (runDir: string) => JSON.parse(readFileSync(join(runDir, "upgrade-check.json"), "utf8")) as UpgradeCheckRecord;

/** Fetches the release the upgrade starts from (once, from the npm registry); where it cannot be had the test is skipped saying why, and CI fails. */
async function needFromRelease(test: TestContext): Promise<void> {
  const fetched = await restateRelease(UPGRADE_FROM_RELEASE, (line) => console.log(line)).catch((error: Error) => error);
  if (!(fetched instanceof Error)) return;
  if (process.env.CI === "true") throw fetched;
  test.skip(fetched.message);
}

describe.skipIf(!capabilitiesOf({}).restateUpgrade)("Restate upgraded with bookings in flight", () => {
  it(`nexus upgrade-check: in place from ${UPGRADE_FROM_RELEASE} to the installed release keeps every invariant, every booking answered`, async (test) => {
    await needFromRelease(test);
    const runDir = newRunDir("test-upgrade-check");
    // The Worker under test, as the gates' setup resolves it (NEXUS_WORKER, NEXUS_WORKER_BUNDLE, else the reference Worker).
    const code = await upgradeCheckJob({ fromRelease: UPGRADE_FROM_RELEASE, seed: 27, runDir });
    const record = recordIn(runDir);
    expect(code).toBe(0);
    expect(record).toMatchObject({ from: UPGRADE_FROM_RELEASE, to: restateBinary().version, outcome: { valid: true, unanswered: 0, journalMismatches: 0 } });
    // Bookings were mid-way when the old release stopped (the one-version checker also fails a deploy that met none).
    expect(Object.values(record.outcome.inFlight).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    expect(record.downMs).toBeGreaterThan(0);
  });

  it("catches an upgrade that starts the next release on an empty data folder: bookings lost, unanswered, charged for no seat", async (test) => {
    await needFromRelease(test);
    const gate = serverUpgradeMidFlight(UPGRADE_FROM_RELEASE, restateBinary(), "empty-data");
    const outcome = await runGateOnFreshStack(gate, { dir: newRunDir("test-upgrade-empty-data"), worker });
    const failed = outcome.results.filter((r) => r.valid !== true).map((r) => r.name);
    expect(failed).toEqual(expect.arrayContaining(["bookings-answered", "latest-as-intended", "seats-sold", "exactly-once-charge"]));
  });

  it("nexus upgrade-check refuses a release that is not a version number, and starts nothing", async () => {
    await expect(upgradeCheckJob({ fromRelease: "latest; rm -rf /" })).rejects.toThrow(/is not a Restate release/);
  });
});
