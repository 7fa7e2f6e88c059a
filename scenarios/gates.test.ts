import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { newRunDir } from "../harness/paths.js";
import { containerEngineMissing } from "../harness/runtime/container-engine.js";
import { startStack, type Stack } from "../harness/stack.js";
import { describeOutcome } from "./describe-outcome.js";
import { runGate, stackOptionsFor } from "./gate.js";
import { GATES, selectGates } from "./index.js";

const bundleDir = inject("workerBundle");
const ALWAYS_REPLAY = { RESTATE_WORKER__INVOKER__INACTIVITY_TIMEOUT: "0s" };

/**
 * The suite: every gate on the native binary, as configured and with Restate replaying the journal at every step
 * (always suspend); and the core gates in a container (testcontainers) and on a three-node cluster, where a Restate
 * kill hits one node at a time.
 */
const CORE = ["double-booking", "decline-compensation", "restate-crash"];
const PASSES = [
  { runtime: "binary", mode: "default", gates: [...GATES], restateEnv: {} },
  { runtime: "binary", mode: "always-replay", gates: [...GATES], restateEnv: ALWAYS_REPLAY },
  { runtime: "container", mode: "default", gates: selectGates(CORE), restateEnv: {} },
  { runtime: "container", mode: "always-replay", gates: selectGates(["double-booking"]), restateEnv: ALWAYS_REPLAY },
  { runtime: "cluster", mode: "default", gates: selectGates(CORE), restateEnv: {} },
  { runtime: "cluster", mode: "always-replay", gates: selectGates(["double-booking"]), restateEnv: ALWAYS_REPLAY },
];

// Outside CI, the container gates skip where no container engine is found; under CI=true that is a failure.
const noEngine = process.env.CI === "true" ? undefined : containerEngineMissing();
if (noEngine) console.log(`container gates skipped: ${noEngine}`);

for (const pass of PASSES) {
  describe.skipIf(pass.runtime === "container" && noEngine !== undefined)(`${pass.runtime} ${pass.mode}`, () => {
    for (const gate of pass.gates) {
      describe(gate.name, () => {
        let stack: Stack | undefined;

        beforeAll(async () => {
          stack = await startStack({
            runDir: newRunDir(`test-${pass.runtime}-${pass.mode}-${gate.name}`),
            bundle: { dir: bundleDir, entry: join(bundleDir, "index.js") },
            runtimeName: pass.runtime,
            ...stackOptionsFor(gate, pass.restateEnv),
          });
        });

        afterAll(async () => {
          await stack?.stop();
        });

        it(gate.title, async () => {
          const outcome = await runGate(gate, stack!, { log: (message) => console.log(`[${pass.runtime} ${pass.mode} ${gate.name}] ${message}`) });
          const text = describeOutcome(outcome);
          console.log(text);
          expect(outcome.valid, text).toBe(true);
        });
      });
    }
  });
}
