// What a deploy gate's run did to the bookings in flight, as data and as one line, and its progress while it runs:
// shared by the commands that deploy.
import { deployStepsOf, lastObserved } from "../harness/history/deploys.js";
import { describeOutcome } from "../harness/runner/describe-outcome.js";
import type { GateOutcome } from "../harness/runner/gate.js";
import type { RunnerEvent } from "../harness/runner/run-gates.js";
import type { DeployOutcome } from "../harness/store/records.js";
import { verdictWord } from "../harness/system/colour.js";
import { type Progress, seconds } from "../harness/system/progress.js";

/** The checker a compatible in-place deploy still fails: it ran invocations on both versions, harming none. */
export const MIXING = "one-version-per-invocation";

const count = (outcome: GateOutcome, checker: string, of: "bookings" | "seats" | "ledger") =>
  outcome.results.find((r) => r.name === checker && r.valid === false)?.offenders[of].length ?? 0;
const stat = (outcome: GateOutcome, checker: string, name: string) => Number(outcome.results.find((r) => r.name === checker)?.stats[name] ?? 0);

/** What one deploy gate's run (by `procedure`) did to the bookings in flight, counted from its checkers and Restate's final state. */
export function deployOutcomeOf(procedure: string, outcome: GateOutcome): DeployOutcome {
  const finish = deployStepsOf(outcome.history).find((step) => step.step === "finish");
  const drainMs = (finish?.details as { drainMs?: number } | undefined)?.drainMs;
  return {
    procedure,
    valid: outcome.valid,
    failed: outcome.results.filter((r) => r.valid !== true).map((r) => r.name),
    dir: outcome.dir,
    inFlight: (lastObserved(outcome.history, "in-flight")?.counts ?? {}) as Record<string, number>,
    journalMismatches: stat(outcome, "journal-compatible", "journalMismatches"),
    mixedVersions: stat(outcome, MIXING, "mixedVersions"),
    paused: outcome.finalState.invocations.paused ?? 0,
    unanswered: stat(outcome, "bookings-answered", "bookings") - stat(outcome, "bookings-answered", "answered"),
    moneyErrors: count(outcome, "exactly-once-charge", "bookings"),
    seatErrors: count(outcome, "seats-sold", "seats") + count(outcome, "no-double-sale", "seats"),
    drainMs: drainMs ?? null,
  };
}

/** One line on what a procedure did: PASS, or what it cost the bookings in flight. */
export function outcomeLine(o: DeployOutcome): string {
  const inFlight = Object.entries(o.inFlight)
    .map(([status, n]) => `${n} ${status}`)
    .join(", ");
  const drained = o.drainMs === null ? "" : `; the old version drained ${seconds(o.drainMs)} after the cut-over`;
  if (o.valid === true) return `  ${o.procedure}: ${verdictWord("PASS")} (in flight at the cut-over: ${inFlight})${drained}`;
  const harm = [
    [o.journalMismatches, "journal mismatches (570)"],
    [o.paused, "invocations paused"],
    [o.unanswered, "bookings unanswered"],
    [o.moneyErrors, "bookings with wrong money"],
    [o.seatErrors, "seats wrong"],
    [o.mixedVersions, "invocations ran on both versions"],
  ] as const;
  const found = harm.filter(([n]) => n > 0).map(([n, what]) => `${n} ${what}`);
  return `  ${o.procedure}: ${verdictWord("FAIL")}: ${found.join(", ") || "see the checkers"} (failed: ${o.failed.join(", ")}; in flight at the cut-over: ${inFlight})`;
}

/** The runner's events as `command`'s progress: each gate as it starts, its log lines, its outcome. */
export function deployProgress(progress: Progress, command: string): (event: RunnerEvent) => void {
  return (event) => {
    if (event.kind === "started") progress.phase(`${command}: ${event.gate}`);
    else if (event.kind === "log") progress.log(`${event.gate}: ${event.message}`);
    else if (event.kind === "finished") progress.log(describeOutcome(event.outcome));
  };
}
