import { describe, expect, it } from "vitest";
import { describeOutcome } from "../harness/runner/describe-outcome.js";
import { cannotRunBecause } from "../harness/runner/gate.js";
import { runGateOnFreshStack } from "../harness/runner/run-gate.js";
import { newRunDir } from "../harness/system/paths.js";
import { containerEngineMissing } from "../harness/runtime/container-engine.js";
import { capabilitiesOf } from "../harness/stack/stack.js";
import { GATES, selectGates } from "../scenarios/index.js";
import { workerUnderTest } from "./worker-under-test.js";

declare module "vitest" {
  interface TaskMeta {
    /** The gate, its run's seed and the checkers that did not pass, for the summary reporter. */
    gate?: string;
    seed?: number;
    failedCheckers?: string[];
  }
}

const worker = await workerUnderTest();
const ALWAYS_REPLAY = { RESTATE_WORKER__INVOKER__INACTIVITY_TIMEOUT: "0s" };

/**
 * The suite: every gate on the native binary as configured; the gates whose bookings run durable steps again with
 * Restate replaying the journal at every step (always suspend); and the core gates in a container (testcontainers)
 * and on a three-node cluster, where a Restate kill hits one node at a time. A gate the Worker under test cannot take
 * (it lacks a capability) is skipped, saying why.
 */
const CORE = ["double-booking", "decline-compensation", "restate-crash"];
/** Gates that judge how requests are let in (input, signing, exposure), not journaled flows: replaying adds nothing there. */
const ADMISSION = ["bad-input", "request-signing", "private-api", "demo-api", "hostile-input"];
const PASSES = [
  { runtime: "binary", mode: "default", gates: [...GATES], restateEnv: {} },
  { runtime: "binary", mode: "always-replay", gates: GATES.filter((g) => !ADMISSION.includes(g.name)), restateEnv: ALWAYS_REPLAY },
  { runtime: "container", mode: "default", gates: selectGates(CORE), restateEnv: {} },
  { runtime: "container", mode: "always-replay", gates: selectGates(["double-booking"]), restateEnv: ALWAYS_REPLAY },
  { runtime: "cluster", mode: "default", gates: selectGates(CORE), restateEnv: {} },
  { runtime: "cluster", mode: "always-replay", gates: selectGates(["double-booking"]), restateEnv: ALWAYS_REPLAY },
];

// Outside CI, the container gates skip where no container engine is found; under CI=true that is a failure.
const noEngine = process.env.CI === "true" ? undefined : containerEngineMissing();
if (noEngine) console.log(`container gates skipped: ${noEngine}`);

// NEXUS_TEST_PASSES ("binary default,cluster default") and NEXUS_TEST_GATES (gate names) narrow the suite, e.g. for
// CI's second Node version; what they leave out is not registered, so it counts as neither passed nor skipped.
const passNames = process.env.NEXUS_TEST_PASSES?.split(",").map((p) => p.trim());
const gateNames = process.env.NEXUS_TEST_GATES?.split(",").map((g) => g.trim());
if (gateNames) selectGates(gateNames);
const chosen = PASSES.filter((p) => passNames === undefined || passNames.includes(`${p.runtime} ${p.mode}`)).map((p) => ({
  ...p,
  gates: p.gates.filter((g) => gateNames === undefined || gateNames.includes(g.name)),
}));

for (const pass of chosen) {
  describe.skipIf(pass.runtime === "container" && noEngine !== undefined)(`${pass.runtime} ${pass.mode}`, () => {
    for (const gate of pass.gates) {
      const cannot = cannotRunBecause(gate, capabilitiesOf({}), worker.description.capabilities);
      it.skipIf(cannot !== undefined)(`${gate.name}: ${cannot === undefined ? gate.title : `skipped: ${cannot}`}`, async ({ task }) => {
        const dir = newRunDir(`test-${pass.runtime}-${pass.mode}-${gate.name}`);
        const log = (message: string) => console.log(`[${pass.runtime} ${pass.mode} ${gate.name}] ${message}`);
        const outcome = await runGateOnFreshStack(gate, { dir, worker, runtimeName: pass.runtime, restateEnv: pass.restateEnv }, { log });
        task.meta.gate = gate.name;
        task.meta.seed = outcome.seed;
        task.meta.failedCheckers = outcome.results.filter((r) => r.valid !== true).map((r) => r.name);
        const text = describeOutcome(outcome);
        console.log(text);
        expect(outcome.valid, text).toBe(true);
      });
    }
  });
}
