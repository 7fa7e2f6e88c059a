import { lastObserved, type InvocationFailure } from "../history/deploys.js";
import { Findings, type Checker } from "./checker.js";

/** Restate's code for a journal mismatch (the SDK's error 570): the replayed code took another path than the journal. */
const MISMATCH = /RT0016|\b570\b|journal mismatch/i;

/**
 * No invocation met a journal mismatch: code that replayed an invocation's journal took the path the journal
 * recorded. Judged from the failures Restate showed on invocations while they were retried, watched through the run
 * (observer op "invocation-failures").
 */
export const journalCompatible: Checker = {
  name: "journal-compatible",
  check(history) {
    const found = new Findings();
    const failures = (lastObserved(history, "invocation-failures")?.failures ?? []) as InvocationFailure[];
    const mismatches = failures.filter((f) => MISMATCH.test(`${f.code ?? ""} ${f.failure}`));
    for (const f of mismatches) {
      found.add(
        `${f.target} (${f.id}) is ${f.status} after ${f.retries} retries on deployment ${f.deployment ?? "(none)"}: ${f.code ?? ""} ${f.failure.slice(0, 160)}`,
      );
    }
    return found.result({
      failing: failures.length,
      journalMismatches: mismatches.length,
      paused: failures.filter((f) => f.status === "paused").length,
    });
  },
};
