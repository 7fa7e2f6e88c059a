import { describe, expect, it } from "vitest";
import type { InvocationFailure, InvocationRun } from "../history/deploys.js";
import type { Op } from "../history/history.js";
import { stateOf } from "./fixtures.js";
import { journalCompatible } from "./journal-compatible.js";
import { latestAsIntended } from "./latest-as-intended.js";
import { oneVersionPerInvocation } from "./one-version-per-invocation.js";

const EPOCH = 1_000_000;
let index = 0;
const op = (process: string, f: string, value: Record<string, unknown>, time: number): Op => ({ index: index++, process, type: "ok", f, value, time });
const clock = op("gate", "expect", { kind: "clock", epochMs: EPOCH }, 0);
const deploy = (step: string, time: number, latest: string, replaced: Array<{ deployment: string; version: string; at: number }> = []) =>
  op("nemesis", "deploy", { fault: "deploy", step, procedure: "p", latest, replaced, details: {} }, time);
const run = (id: string, deployment: string, first: number, last: number, status = "completed"): InvocationRun => ({
  id,
  target: `Ticket/s1/book`,
  status,
  deployment,
  firstCommandAt: EPOCH + first,
  lastCommandAt: EPOCH + last,
});
const runs = (list: InvocationRun[]) => op("observer", "invocation-runs", { runs: list }, 9_000);

describe("one-version-per-invocation", () => {
  it("passes invocations that ran across a versioned cut-over on their own deployment", () => {
    const history = [clock, deploy("cut-over", 1_000, "dp2"), runs([run("a", "dp1", 500, 1_500), run("b", "dp2", 1_200, 1_300)])];
    const result = oneVersionPerInvocation.check(history, stateOf([]));
    expect(result.valid).toBe(true);
    expect(result.stats).toMatchObject({ acrossCutOver: 1, mixedVersions: 0 });
  });

  it("fails an invocation whose deployment's code was replaced while it ran, finished or not", () => {
    const replaced = [{ deployment: "dp1", version: "v2", at: EPOCH + 900 }];
    const history = [
      clock,
      deploy("cut-over", 1_000, "dp1", replaced),
      runs([run("a", "dp1", 500, 1_500), run("b", "dp1", 800, 800, "paused"), run("c", "dp1", 100, 200)]),
    ];
    const result = oneVersionPerInvocation.check(history, stateOf([]));
    expect(result.valid).toBe(false);
    expect(result.stats.mixedVersions).toBe(2);
    expect(result.problems.join("\n")).toMatch(/\(a\).*finished on v2[\s\S]*\(b\).*is paused, to resume on v2/);
  });

  it("fails a deploy that met nothing in flight, and a history without a cut-over", () => {
    expect(oneVersionPerInvocation.check([clock, deploy("cut-over", 1_000, "dp2"), runs([run("a", "dp1", 100, 200)])], stateOf([])).problems).toEqual([
      "no invocation was in flight across the cut-over: the deploy met no booking mid-way and proves nothing",
    ]);
    expect(oneVersionPerInvocation.check([clock, runs([])], stateOf([])).valid).toBe(false);
  });
});

describe("journal-compatible", () => {
  const failure = (code: string, text: string): InvocationFailure => ({
    id: "i1",
    target: "Ticket/s1/book",
    status: "backing-off",
    deployment: "dp1",
    code,
    failure: text,
    retries: 3,
  });
  it("fails on a journal mismatch and passes other failures (liveness judges those)", () => {
    const mismatch = journalCompatible.check(
      [op("observer", "invocation-failures", { failures: [failure("RT0016", "[570 Journal mismatch] Found a mismatch")] }, 1)],
      stateOf([]),
    );
    expect(mismatch.valid).toBe(false);
    const refused = journalCompatible.check([op("observer", "invocation-failures", { failures: [failure("RT0010", "connection refused")] }, 1)], stateOf([]));
    expect(refused).toMatchObject({ valid: true, stats: { failing: 1, journalMismatches: 0 } });
  });
});

describe("latest-as-intended", () => {
  const latest = (step: string, deployment: string) => op("observer", "latest", { step, services: { Checkout: deployment, Ticket: deployment } }, 2);
  it("passes when Restate serves new invocations where each step meant, fails a rollback Restate left on the new version", () => {
    expect(latestAsIntended.check([clock, deploy("cut-over", 1, "dp2"), latest("cut-over", "dp2")], stateOf([])).valid).toBe(true);
    const rollback = latestAsIntended.check([clock, deploy("finish", 1, "dp1"), latest("finish", "dp2")], stateOf([]));
    expect(rollback.valid).toBe(false);
    expect(rollback.problems).toHaveLength(2);
    expect(latestAsIntended.check([clock, deploy("finish", 1, "dp1")], stateOf([])).valid).toBe(false);
  });

  it("fails a step after which Restate no longer serves a service it served before (its registrations lost)", () => {
    const lost = op("observer", "latest", { step: "cut-over", services: {} }, 3);
    const result = latestAsIntended.check([clock, deploy("prepare", 1, "dp1"), latest("prepare", "dp1"), deploy("cut-over", 2, "dp1"), lost], stateOf([]));
    expect(result.valid).toBe(false);
    expect(result.problems).toEqual([expect.stringContaining("no longer serves Checkout, Ticket")]);
  });
});
