import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { newRunDir } from "../harness/paths.js";
import { startStack, type Stack } from "../harness/stack.js";
import { describeOutcome } from "./describe-outcome.js";
import { runGate } from "./gate.js";
import { GATES } from "./index.js";

const bundleDir = inject("workerBundle");

for (const gate of GATES) {
  describe(gate.name, () => {
    let stack: Stack | undefined;

    beforeAll(async () => {
      stack = await startStack({
        runDir: newRunDir(`test-${gate.name}`),
        bundle: { dir: bundleDir, entry: join(bundleDir, "index.js") },
        workerEnv: gate.workerEnv,
      });
    });

    afterAll(async () => {
      await stack?.stop();
    });

    it(gate.title, async () => {
      const outcome = await runGate(gate, stack!, { log: (message) => console.log(`[${gate.name}] ${message}`) });
      const text = describeOutcome(outcome);
      console.log(text);
      expect(outcome.valid, text).toBe(true);
    });
  });
}
