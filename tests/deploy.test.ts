import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import type { DeployProcedureName } from "../harness/deploy/procedures.js";
import { runGateOnFreshStack } from "../harness/runner/run-gate.js";
import type { GateOutcome } from "../harness/runner/gate.js";
import { newRunDir } from "../harness/store/run-dirs.js";
import { projectRoot } from "../harness/system/paths.js";
import { buildVariant } from "../harness/worker/variant.js";
import { NEXT_VERSIONS } from "../scenarios/deploys/next-versions.js";
import { deployMidFlight } from "../scenarios/gates/deploy-mid-flight.js";
import { workerUnderTest } from "./worker-under-test.js";

const worker = await workerUnderTest();
/** The next versions are edits of the reference Worker: they deploy over it, not over another Worker under test. */
const isReference = resolve(worker.descriptionPath) === join(projectRoot, "nexus-worker.ts");
const versionNamed = (name: string) => NEXT_VERSIONS.find((v) => v.name === name)!;

/** Runs the deploy gate: the Worker under test, then `next` (a next version of the reference Worker) by `procedure`. */
async function deploy(nextName: string, procedure: DeployProcedureName): Promise<GateOutcome> {
  const next = versionNamed(nextName);
  const bundle = await buildVariant(`next-${next.name}`, next.edits);
  const dir = newRunDir(`test-deploy-${procedure}-${next.name}`);
  return runGateOnFreshStack(deployMidFlight({ name: next.name, bundle, bindings: {} }, procedure), { dir, worker });
}

const failedOf = (outcome: GateOutcome) => outcome.results.filter((r) => r.valid !== true).map((r) => r.name);
const statOf = (outcome: GateOutcome, checker: string) => outcome.results.find((r) => r.name === checker)!.stats;

describe.skipIf(!isReference)("deploy-mid-flight: a next version deployed with bookings in flight at every kind of step", () => {
  it.each(NEXT_VERSIONS.map((v) => v.name))("the versioned procedure keeps every invariant deploying %s, the old version drained and removed", async (name) => {
    const outcome = await deploy(name, "versioned");
    expect(failedOf(outcome)).toEqual([]);
    // Bookings were mid-way when the new version went in, and each ran on one version.
    expect(statOf(outcome, "one-version-per-invocation").acrossCutOver).toBeGreaterThan(0);
    const finish = outcome.history.find((op) => op.f === "deploy" && op.type === "ok" && op.value.step === "finish");
    expect(finish?.value.details).toMatchObject({ drained: true, removed: expect.any(String) });
  });

  it("catches an in-place deploy of a journal-incompatible change: 570s, bookings unanswered, money taken for seats never sold", async () => {
    const outcome = await deploy("lookup-before-charge", "in-place");
    expect(failedOf(outcome)).toEqual(
      expect.arrayContaining(["journal-compatible", "bookings-answered", "one-version-per-invocation", "liveness", "exactly-once-charge", "seats-sold"]),
    );
    expect(statOf(outcome, "journal-compatible").journalMismatches).toBeGreaterThan(0);
  });

  it("catches an in-place deploy of a journal-compatible change: no booking harmed, but invocations ran on both versions", async () => {
    const outcome = await deploy("email-wording", "in-place");
    expect(failedOf(outcome)).toEqual(["one-version-per-invocation"]);
    expect(statOf(outcome, "one-version-per-invocation").mixedVersions).toBeGreaterThan(0);
  });

  it("catches the old version stopped before it drained: its bookings are never answered", async () => {
    const outcome = await deploy("email-wording", "stop-before-drain");
    expect(failedOf(outcome)).toEqual(expect.arrayContaining(["bookings-answered", "liveness"]));
    expect(failedOf(outcome)).not.toContain("journal-compatible");
  });

  it("catches an alias URL registered for the old version: moved to the new one, its invocations run on both", async () => {
    const outcome = await deploy("email-wording", "alias");
    expect(failedOf(outcome)).toEqual(["one-version-per-invocation"]);
  });

  it("catches a rollback by registering the old URL again: Restate answers unchanged and keeps the new version serving", async () => {
    const outcome = await deploy("email-wording", "rollback-reregister");
    expect(failedOf(outcome)).toEqual(["latest-as-intended"]);
    const finish = outcome.history.find((op) => op.f === "deploy" && op.type === "ok" && op.value.step === "finish");
    expect(finish?.value.details).toMatchObject({ created: false });
  });
});
