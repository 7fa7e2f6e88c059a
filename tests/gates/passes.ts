import { beforeAll, describe, expect, it } from "vitest";
import { describeOutcome } from "../../harness/runner/describe-outcome.js";
import { cannotRunBecause, checkersOf, type Gate, type GateOutcome } from "../../harness/runner/gate.js";
import { runGateOnFreshStack } from "../../harness/runner/run-gate.js";
import { newRunDir } from "../../harness/store/run-dirs.js";
import { containerEngineMissing } from "../../harness/runtime/container-engine.js";
import { netnsMissing } from "../../harness/netns/mesh.js";
import { capabilitiesOf } from "../../harness/stack/stack.js";
import type { PreparedWorker } from "../../harness/worker/worker-under-test.js";
import { GATES, selectGates } from "../../scenarios/index.js";
import { otherReferenceDesigns, workerUnderTest } from "../worker-under-test.js";

declare module "vitest" {
  interface TaskMeta {
    /** The gate a checker's test case judges, and its run's seed, for the summary reporter. */
    gate?: string;
    seed?: number;
  }
}

/** Bounds a gate's run (a stack, the workload, the checkers) only to stop a hang: nothing here is timed. */
const GATE_TIMEOUT_MS = 900_000;

const ALWAYS_REPLAY = { RESTATE_WORKER__INVOKER__INACTIVITY_TIMEOUT: "0s" };

/**
 * The test files of tests/gates/: vitest runs two files at once (each gate on stacks of its own), so the passes are
 * split into five files of a few minutes each.
 */
export type GateFile = "binary" | "always-replay" | "cluster" | "container" | "designs";

/** One pass: gates on one Restate runtime, in one mode, for one Worker, registered by the file it belongs to. */
interface Pass {
  file: GateFile;
  runtime: string;
  mode: string;
  gates: Gate[];
  restateEnv: Record<string, string>;
  worker: PreparedWorker;
}

const CORE = ["double-booking", "decline-compensation", "restate-crash"];
/** Gates that judge how requests are let in (input, signing, exposure), not journaled flows: replaying adds nothing there. */
const ADMISSION = ["bad-input", "request-signing", "private-api", "demo-api", "hostile-input"];
/** Gates that judge a booking's journaled flow under replay, for the reference Worker's other design. */
const REPLAYED_FLOWS = ["double-booking", "hold-expiry", "crash-matrix", "restate-crash"];
/** Gates that cut links between cluster nodes: they run only in the cluster's partitions pass. */
const NETWORK = ["partition"];
const ON_ONE_SERVER = GATES.filter((g) => !NETWORK.includes(g.name));

/**
 * The suite: every gate on the native binary as configured; the gates whose bookings run durable steps again with
 * Restate replaying the journal at every step (always suspend); and the core gates in a container (testcontainers)
 * and on a three-node cluster, where a Restate kill hits one node at a time (there the booking model is searched too);
 * the partition gate on a three-node cluster whose nodes run in network namespaces, with the links between them cut
 * and healed. When the Worker under test is the reference Worker, its other booking design (designs/) takes the binary
 * passes' gates that judge a booking's flow too.
 */
function passesFor(worker: PreparedWorker): Pass[] {
  const designPasses = otherReferenceDesigns(worker).flatMap((design): Pass[] => {
    const name = design.description.name;
    const flows = ON_ONE_SERVER.filter((g) => !ADMISSION.includes(g.name));
    return [
      { file: "designs", runtime: "binary", mode: `default (${name})`, gates: flows, restateEnv: {}, worker: design },
      { file: "designs", runtime: "binary", mode: `always-replay (${name})`, gates: selectGates(REPLAYED_FLOWS), restateEnv: ALWAYS_REPLAY, worker: design },
    ];
  });
  return [
    { file: "binary", runtime: "binary", mode: "default", gates: ON_ONE_SERVER, restateEnv: {}, worker },
    {
      file: "always-replay",
      runtime: "binary",
      mode: "always-replay",
      gates: ON_ONE_SERVER.filter((g) => !ADMISSION.includes(g.name)),
      restateEnv: ALWAYS_REPLAY,
      worker,
    },
    { file: "container", runtime: "container", mode: "default", gates: selectGates(CORE), restateEnv: {}, worker },
    { file: "container", runtime: "container", mode: "always-replay", gates: selectGates(["double-booking"]), restateEnv: ALWAYS_REPLAY, worker },
    { file: "cluster", runtime: "cluster", mode: "default", gates: selectGates([...CORE, "booking-model"]), restateEnv: {}, worker },
    { file: "cluster", runtime: "cluster", mode: "always-replay", gates: selectGates(["double-booking"]), restateEnv: ALWAYS_REPLAY, worker },
    { file: "cluster", runtime: "cluster", mode: "partitions", gates: selectGates(NETWORK), restateEnv: {}, worker },
    ...designPasses,
  ];
}

/**
 * Registers the passes of `file` as vitest suites: a suite per gate, which runs the gate once on a fresh stack, then a
 * test case per checker stating its verdict. A gate the Worker cannot take (it lacks a capability) is skipped, saying
 * why. NEXUS_TEST_PASSES ("binary default,cluster default") and NEXUS_TEST_GATES (gate names) narrow the suite;
 * what they leave out is not registered, so it counts as neither passed nor skipped.
 */
export async function registerPasses(file: GateFile): Promise<void> {
  const worker = await workerUnderTest();
  // Outside CI, the container gates skip where no container engine is found; under CI=true that is a failure.
  const noEngine = process.env.CI === "true" ? undefined : containerEngineMissing();
  if (noEngine && file === "container") console.log(`container gates skipped: ${noEngine}`);
  // The same for network namespaces (root, `ip`, `nft`): outside CI the partition gate skips saying why; under CI=true it fails.
  const noNetns = netnsMissing();
  const passNames = process.env.NEXUS_TEST_PASSES?.split(",").map((p) => p.trim());
  const gateNames = process.env.NEXUS_TEST_GATES?.split(",").map((g) => g.trim());
  if (gateNames) selectGates(gateNames);
  const chosen = passesFor(worker)
    .filter((p) => p.file === file && (passNames === undefined || passNames.includes(`${p.runtime} ${p.mode}`)))
    .map((p) => ({ ...p, gates: p.gates.filter((g) => gateNames === undefined || gateNames.includes(g.name)) }));
  for (const pass of chosen) {
    describe.skipIf(pass.runtime === "container" && noEngine !== undefined)(`${pass.runtime} ${pass.mode}`, () => {
      for (const gate of pass.gates) registerGate(pass, gate, noNetns);
    });
  }
}

/** One gate of a pass as a suite: the gate runs once in beforeAll, then each checker's verdict is a test case. */
function registerGate(pass: Pass, gate: Gate, noNetns: string | undefined): void {
  describe(`${gate.name}: ${gate.title}`, () => {
    const cannot = cannotRunBecause(gate, capabilitiesOf({ runtimeName: pass.runtime }), pass.worker.description.capabilities);
    if (cannot !== undefined && noNetns !== undefined && gate.needs?.includes("networkFaults") && process.env.CI === "true") {
      it("network namespaces for the cluster's nodes", () => expect.fail(`CI=true, and the partition gate cannot run: ${noNetns}`));
      return;
    }
    if (cannot !== undefined) {
      it.skip(`skipped: ${gate.needs?.includes("networkFaults") && noNetns !== undefined ? noNetns : cannot}`, () => undefined);
      return;
    }
    let outcome: GateOutcome | undefined;
    beforeAll(async () => {
      const dir = newRunDir(`test-${pass.runtime}-${pass.mode.replace(/[^A-Za-z0-9]+/g, "-")}-${gate.name}`);
      const log = (message: string) => console.log(`[${pass.runtime} ${pass.mode} ${gate.name}] ${message}`);
      outcome = await runGateOnFreshStack(gate, { dir, worker: pass.worker, runtimeName: pass.runtime, restateEnv: pass.restateEnv }, { log });
      console.log(describeOutcome(outcome));
    }, GATE_TIMEOUT_MS);
    const { checkers, skipped } = checkersOf(gate, pass.worker.description.capabilities);
    for (const checker of checkers) {
      it(checker.name, ({ task }) => {
        const result = outcome!.results.find((r) => r.name === checker.name);
        task.meta.gate = gate.name;
        task.meta.seed = outcome!.seed;
        expect(result?.valid, `${checker.name}: ${result?.problems.slice(0, 8).join("; ") ?? "no result"} (seed ${outcome!.seed}, ${outcome!.dir})`).toBe(true);
      });
    }
    for (const checker of skipped) it.skip(`${checker.name}: skipped: ${checker.reason}`, () => undefined);
  });
}
