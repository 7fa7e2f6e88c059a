import fc from "fast-check";
import { rejectedWithoutChange } from "../../harness/checkers/expectations.js";
import type { Gate, GateContext } from "../../harness/runner/gate.js";
import { HOSTILE_KINDS, type HostileCase } from "../fuzz/hostile-kinds.js";
import { inParallel, recordDirect, recordRaw, recordSnapshot } from "../../harness/runner/workload.js";

/** Cases per run (NEXUS_FUZZ_CASES overrides); spread evenly over the kinds. */
export function fuzzCaseCount(): number {
  const n = Number(process.env.NEXUS_FUZZ_CASES ?? "1000");
  return Number.isInteger(n) && n > 0 ? n : 1000;
}
/** Cases between two snapshots: a change of state is pinned to the batch that made it. */
const BATCH = 100;
const IN_FLIGHT = 4;

/** Draws the run's cases: the same seed draws the same cases in the same order. */
export function drawCases(prefix: string, seed: number, total: number): HostileCase[] {
  const perKind = Math.ceil(total / HOSTILE_KINDS.length);
  const cases = HOSTILE_KINDS.flatMap((kind, i) => fc.sample(kind.cases(prefix), { seed: seed + i, numRuns: perKind }));
  // Interleave the kinds, so every batch mixes them.
  return cases
    .map((c, i) => ({ c, order: (i % perKind) * HOSTILE_KINDS.length + Math.floor(i / perKind) }))
    .sort((a, b) => a.order - b.order)
    .map(({ c }) => c);
}

async function send(context: GateContext, c: HostileCase, lane: string): Promise<void> {
  const request = { name: c.kind, path: c.path, body: c.body, expectStatus: c.expectStatus, expectBody: c.expectBody };
  const headers = { ...(c.body === undefined ? {} : { "content-type": c.contentType ?? "application/json" }), ...c.headers };
  const once = () =>
    c.target === "worker"
      ? recordDirect(context, lane, "raw", { ...request, method: c.method, headers })
      : recordRaw(context, lane, "raw", { ...request, contentType: c.contentType, headers: c.headers });
  await Promise.all(Array.from({ length: c.copies ?? 1 }, once));
}

/**
 * Property-based hostile input (fast-check): over 50 kinds of malformed and hostile requests to every public handler
 * and the mock payment route, 1,000 cases a run, seeded. Each gets a 4xx (the stated one, where one is stated) and
 * nothing changes: the state and the ledger are snapshotted before and after every batch.
 */
export const hostileInput: Gate = {
  name: "hostile-input",
  needs: ["workerControl", "demoApi", "mockPaymentRoute"],
  title: "fuzzed hostile input to every public handler and route gets a 4xx and changes nothing",
  stack: { workerEnv: { MOCK_PAYMENT_ROUTE: "true" } },
  checkers: [rejectedWithoutChange],
  async run(context) {
    const { prefix, log, random } = context;
    await recordRaw(context, "setup", "checkout", {
      path: "/Checkout/process",
      body: JSON.stringify({ ticketId: `${prefix}fz-sold`, userId: "u-owner", bookingId: `${prefix}owner` }),
      expectStatus: 200,
    });
    await recordSnapshot(context);
    const cases = drawCases(prefix, random.int(0, 2 ** 30), fuzzCaseCount());
    log(`${cases.length} cases of ${HOSTILE_KINDS.length} kinds, ${IN_FLIGHT} at a time, a snapshot every ${BATCH}`);
    for (let start = 0; start < cases.length; start += BATCH) {
      const batch = cases.slice(start, start + BATCH);
      await inParallel(
        batch.map((c, i) => () => send(context, c, `fuzz-${i % IN_FLIGHT}`)),
        IN_FLIGHT,
      );
      await recordSnapshot(context);
      log(`${Math.min(start + BATCH, cases.length)}/${cases.length} cases`);
    }
  },
};
