import { describe, expect, it } from "vitest";
import type { CheckResult } from "../harness/checkers/checker.js";
import type { Op } from "../harness/history.js";
import { renderReport } from "./build-report.js";
import { timelineOf } from "./charts.js";
import { escapeHtml, offendersOf } from "./html.js";
import { junitXml } from "./junit.js";
import type { StoredGate, StoredRun } from "./load-run.js";

const evil = `<script>alert("x")</script>`;

function op(index: number, process: string, type: Op["type"], time: number, value: Record<string, unknown>, invokeIndex?: number): Op {
  return { index, process, type, f: process === "nemesis" ? "kill-restate" : "checkout", value, time, ...(invokeIndex === undefined ? {} : { invokeIndex }) };
}

const history: Op[] = [
  op(0, "c1", "invoke", 0, { bookingId: "b1", ticketId: "s1" }),
  op(1, "nemesis", "invoke", 5, { fault: "kill-restate" }),
  op(2, "c2", "invoke", 6, { bookingId: "b2", ticketId: `s1${evil}` }),
  op(3, "c1", "ok", 10, { bookingId: "b1", ticketId: "s1", status: 200 }, 0),
  op(4, "nemesis", "ok", 20, { fault: "kill-restate" }, 1),
];

function run(results: CheckResult[]): StoredRun {
  const valid = results.some((r) => r.valid === false) ? false : true;
  const gate: StoredGate = {
    folder: "double-booking",
    spec: { gate: "double-booking", title: `title ${evil}`, seed: 7, prefix: "p-", runtime: "binary", versions: { restate: "1.7.12" }, workerEnv: {}, restateEnv: {}, startedAt: "" },
    valid,
    results,
    history,
    ledger: [{ seq: 1, kind: "charge", idempotencyKey: null, bookingId: "b1", ticketId: "s1", userId: "u", chargeKey: null, paymentMethodId: "card_success", amount: 50, status: 200, transactionId: "t", replay: false, injected: false, arrivedAt: 0, at: 0 }],
    files: ["double-booking/restate.log"],
  };
  return { dir: "/tmp/run-x", name: "run-x", seed: 7, durationMs: 1000, gates: [gate], bench: null, compare: null, skipped: [], cores: 2, benchSkipped: "no k6" };
}

describe("report pieces", () => {
  it("escapes run text", () => {
    expect(escapeHtml(`a<b>"c"&'d'`)).toBe("a&lt;b&gt;&quot;c&quot;&amp;&#39;d&#39;");
  });

  it("pairs invocations with completions; an unfinished one is info to the end; the nemesis is a window", () => {
    const { bars, windows } = timelineOf(history);
    expect(bars).toEqual([
      expect.objectContaining({ process: "c1", start: 0, end: 10, outcome: "ok" }),
      expect.objectContaining({ process: "c2", start: 6, end: 20, outcome: "info" }),
    ]);
    expect(windows).toEqual([{ fault: "kill-restate", start: 5, end: 20 }]);
  });

  it("finds the operations and ledger entries a failed checker names", () => {
    const failed: CheckResult = { name: "no-double-sale", valid: false, problems: ["seat s1 sold twice: bookings b1"], stats: {} };
    const { ops, entries } = offendersOf(failed, history, run([]).gates[0]!.ledger);
    expect(ops.map((o) => o.index)).toEqual([0, 3]);
    expect(entries.map((e) => e.seq)).toEqual([1]);
  });
});

describe("renderReport", () => {
  it("shows a failed gate's violated invariant and offending operations, with every run string escaped", async () => {
    const html = await renderReport(run([{ name: "no-double-sale", valid: false, problems: [`seat s1 sold twice ${evil}`], stats: {} }]));
    expect(html).toContain('class="banner fail"');
    expect(html).toContain("no-double-sale");
    expect(html).toContain("Operations concerned");
    expect(html).not.toContain(evil);
    expect(html).toContain("&lt;script&gt;");
    expect(html.match(/<svg/g)?.length).toBe(2);
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
  });

  it("passes a run whose checkers all passed, and says why the benchmark did not run", async () => {
    const html = await renderReport(run([{ name: "no-double-sale", valid: true, problems: [], stats: { seats: 1 } }]));
    expect(html).toContain('class="banner pass"');
    expect(html).toContain("Not run: no k6");
  });
});

describe("junitXml", () => {
  it("lists each gate as a testcase and a failed gate as a failure with its problem", () => {
    const xml = junitXml(run([{ name: "no-double-sale", valid: false, problems: ["seat s1 sold twice"], stats: {} }]));
    expect(xml).toContain('tests="1"');
    expect(xml).toContain('failures="1"');
    expect(xml).toContain("no-double-sale failed: seat s1 sold twice");
    expect(xml).not.toContain(evil);
  });
});
