import { describe, expect, it } from "vitest";
import type { CheckResult, Op } from "../harness/store/records.js";
import { renderReport } from "./build-report.js";
import { timelineOf } from "./charts.js";
import { escapeHtml, offendersNamedBy, offendersOf } from "./html.js";
import { junitXml } from "./junit.js";
import type { StoredGate, StoredRun } from "../harness/store/run-store.js";
import { runVerdict } from "../harness/store/verdict.js";

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
  const valid = !results.some((r) => r.valid === false);
  const gate: StoredGate = {
    folder: "double-booking",
    spec: {
      gate: "double-booking",
      title: `title ${evil}`,
      seed: 7,
      prefix: "p-",
      runtime: "binary",
      versions: { restate: "1.7.12" },
      workerEnv: {},
      restateEnv: {},
      startedAt: "",
    },
    valid,
    results,
    skippedCheckers: [],
    history,
    ledger: [
      {
        seq: 1,
        kind: "charge",
        idempotencyKey: null,
        bookingId: "b1",
        ticketId: "s1",
        userId: "u",
        chargeKey: null,
        paymentMethodId: "card_success",
        amount: 50,
        status: 200,
        transactionId: "t",
        replay: false,
        injected: false,
        arrivedAt: 0,
        at: 0,
      },
    ],
    files: ["double-booking/restate.log"],
  };
  const summary = {
    seed: 7,
    passed: valid ? 1 : 0,
    failed: valid ? 0 : 1,
    skipped: [],
    bench: { skipped: "no Python 3", auditFailed: 0, unmeasured: 0 },
    target: "embedded" as const,
    worker: "reference",
    durationMs: 1000,
    cores: 2,
    gates: [{ gate: "double-booking", valid, durationMs: 1000, dir: "double-booking" }],
  };
  return { dir: "/tmp/run-x", name: "run-x", seed: 7, durationMs: 1000, gates: [gate], bench: null, compare: null, summary, skipped: [], cores: 2 };
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
    const failed: CheckResult = {
      name: "no-double-sale",
      valid: false,
      problems: ["seat s1 sold twice: bookings b1"],
      offenders: { bookings: ["b1"], seats: [], ledger: [] },
      stats: {},
    };
    const { ops, entries } = offendersOf(failed, history, run([]).gates[0]!.ledger);
    expect(ops.map((o) => o.index)).toEqual([0, 3]);
    expect(entries.map((e) => e.seq)).toEqual([1]);
  });

  it("links exactly the bookings, seats and ledger entries named, never an id that merely contains one (-b1 vs -b10)", () => {
    const ops: Op[] = [
      op(0, "gate", "ok", 0, { kind: "clock", bookingId: "p-b1" }),
      op(1, "c1", "invoke", 1, { bookingId: "p-b1", ticketId: "p-s1" }),
      op(2, "c10", "invoke", 2, { bookingId: "p-b10", ticketId: "p-s10" }),
      op(3, "c1", "ok", 3, { bookingId: "p-b1", ticketId: "p-s1", status: 200 }, 1),
      op(4, "c10", "ok", 4, { bookingId: "p-b10", ticketId: "p-s10", status: 200 }, 2),
      op(5, "c2", "invoke", 5, { bookingId: "p-b2", ticketId: "p-s2" }),
      op(6, "c3", "invoke", 6, { bookingId: "p-b3", ticketId: "p-s10" }),
    ];
    const entry = run([]).gates[0]!.ledger[0]!;
    const ledger = [
      { ...entry, seq: 1, bookingId: "p-b1", ticketId: "p-s1" },
      { ...entry, seq: 2, bookingId: "p-b10", ticketId: "p-s10" },
      { ...entry, seq: 3, bookingId: "p-b2", ticketId: "p-s1" },
      { ...entry, seq: 10, bookingId: null, ticketId: null },
    ];
    const failed: CheckResult = {
      name: "paid-seats",
      valid: false,
      problems: ["seat p-s2 is SOLD to booking p-b1, made for seat p-s1", "charge #10 names booking (none)"],
      offenders: { bookings: ["p-b1"], seats: ["p-s1", "p-s2"], ledger: [10] },
      stats: {},
    };
    const { ops: concerned, entries } = offendersOf(failed, ops, ledger);
    expect(concerned.map((o) => o.index)).toEqual([1, 3, 5]);
    expect(entries.map((e) => e.seq)).toEqual([1, 10]);
  });

  it("reads a result stored before checkers named offenders as naming none", () => {
    const stored = { name: "no-double-sale", valid: false, problems: ["seat s1 sold twice: bookings b1"], stats: {} } as unknown as CheckResult;
    expect(offendersNamedBy(stored)).toEqual({ bookings: [], seats: [], ledger: [] });
    expect(offendersOf(stored, history, run([]).gates[0]!.ledger)).toEqual({ ops: [], entries: [] });
  });
});

describe("renderReport", () => {
  it("shows a failed gate's violated invariant and offending operations, with every run string escaped", async () => {
    const html = await renderReport(
      run([
        { name: "no-double-sale", valid: false, problems: [`seat s1 sold twice ${evil}`], offenders: { bookings: [], seats: ["s1"], ledger: [] }, stats: {} },
      ]),
    );
    expect(html).toContain('class="banner fail"');
    expect(html).toContain("no-double-sale");
    expect(html).toContain("Operations concerned");
    expect(html).not.toContain(evil);
    expect(html).toContain("&lt;script&gt;");
    expect(html.match(/<svg/g)?.length).toBe(2);
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
  });

  it("passes a run whose checkers all passed, and says why the benchmark did not run", async () => {
    const html = await renderReport(
      run([{ name: "no-double-sale", valid: true, problems: [], offenders: { bookings: [], seats: [], ledger: [] }, stats: { seats: 1 } }]),
    );
    expect(html).toContain('class="banner pass"');
    expect(html).toContain("Not run: no Python 3");
  });
});

describe("junitXml", () => {
  const passed: CheckResult = { name: "no-lost-booking", valid: true, problems: [], offenders: { bookings: [], seats: [], ledger: [] }, stats: {} };
  const failed: CheckResult = {
    name: "no-double-sale",
    valid: false,
    problems: ["seat s1 sold twice"],
    offenders: { bookings: [], seats: ["s1"], ledger: [] },
    stats: {},
  };

  it("has a test case per checker: a failed checker is a failure with its problem, a passed one passes", () => {
    const xml = junitXml(run([passed, failed]));
    expect(xml).toMatch(/<testsuites[^>]* tests="2"[^>]* failures="1"/);
    expect(xml).toContain('name="no-lost-booking"');
    expect(xml).toContain("no-double-sale failed: seat s1 sold twice");
    expect(xml).not.toContain(evil);
  });

  it("lists a checker the Worker could not take and a gate the target could not run as skipped, with the reason", () => {
    const stored = run([passed]);
    stored.gates[0]!.skippedCheckers.push({ name: "map-convergence", reason: "no SeatMap view" });
    stored.skipped.push({ gate: "restate-crash", reason: "it kills Restate" });
    const xml = junitXml(stored);
    expect(xml).toMatch(/<testsuites[^>]* tests="3"[^>]* failures="0"[^>]* skipped="2"/);
    expect(xml).toMatch(/name="restate-crash"[^>]*>\s*<skipped\/>\s*<system-out><!\[CDATA\[it kills Restate/);
  });

  it("states the run's one verdict, as the banner does", async () => {
    const stored = run([failed]);
    const headline = runVerdict(stored).headline;
    expect(headline).toBe("FAIL: 0 of 1 gate passed");
    expect(junitXml(stored)).toContain(`value="${headline}"`);
    expect(await renderReport(stored)).toContain(`<div class="banner fail">${headline}`);
  });
});
