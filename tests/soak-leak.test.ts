import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { newRunDir } from "../harness/store/run-dirs.js";
import type { SoakRecord } from "../harness/store/soak-record.js";
import { buildVariant } from "../harness/worker/variant.js";
import { soakJob } from "../jobs/soak-job.js";
import { CHECKOUTS_KEPT } from "../scenarios/mutants/leaks.js";

describe("the soak's memory verdict judges the Worker's isolate", () => {
  it(`fails a Worker that leaks (${CHECKOUTS_KEPT.bug}) on its isolate's memory within 3 minutes, every checker passing`, async () => {
    const bundle = await buildVariant(CHECKOUTS_KEPT.name, CHECKOUTS_KEPT.edits);
    const runDir = newRunDir("test-soak-leak");
    // One Worker kill (at 1 minute), so the judged second half lies within one life of the isolate. Latency is not
    // what this test judges (another test file shares the machine), so its drift limit is out of the way.
    const code = await soakJob({
      durationMs: 180_000,
      rate: 5,
      nemesisEveryMs: 60_000,
      seed: 26,
      worker: { dir: dirname(bundle.dir) },
      thresholds: { maxP99Factor: 1_000 },
      runDir,
    });
    const record = JSON.parse(readFileSync(join(runDir, "soak.json"), "utf8")) as SoakRecord;
    expect(code).toBe(1);
    expect(record.checkers.filter((c) => c.valid !== true)).toEqual([]);
    const worker = record.slopes.find((s) => s.judgedAs === "worker");
    expect(worker).toMatchObject({ subject: "worker isolate", offends: true });
    expect(record.verdict.offenders.filter((o) => o.kind !== "memory")).toEqual([]);
    expect(record.verdict.offenders.map((o) => o.subject)).toContain("worker isolate");
  });
});
