import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { newRunDir } from "../harness/paths.js";
import { startStack, type Stack } from "../harness/stack.js";
import { describeOutcome } from "./describe-outcome.js";
import { runGate, stackOptionsFor } from "./gate.js";
import { GATES } from "./index.js";

const bundleDir = inject("workerBundle");

/** Every gate runs twice: as configured, and with Restate replaying the journal at every step (always suspend). */
const PASSES: Array<{ name: string; restateEnv: Record<string, string> }> = [
  { name: "default", restateEnv: {} },
  { name: "always-replay", restateEnv: { RESTATE_WORKER__INVOKER__INACTIVITY_TIMEOUT: "0s" } },
];

for (const pass of PASSES) {
  describe(pass.name, () => {
    for (const gate of GATES) {
      describe(gate.name, () => {
        let stack: Stack | undefined;

        beforeAll(async () => {
          stack = await startStack({
            runDir: newRunDir(`test-${pass.name}-${gate.name}`),
            bundle: { dir: bundleDir, entry: join(bundleDir, "index.js") },
            ...stackOptionsFor(gate, pass.restateEnv),
          });
        });

        afterAll(async () => {
          await stack?.stop();
        });

        it(gate.title, async () => {
          const outcome = await runGate(gate, stack!, { log: (message) => console.log(`[${pass.name} ${gate.name}] ${message}`) });
          const text = describeOutcome(outcome);
          console.log(text);
          expect(outcome.valid, text).toBe(true);
        });
      });
    }
  });
}
