import { deployStepsOf, lastObserved, type InvocationRun } from "../history/deploys.js";
import { Findings, type Checker } from "./checker.js";

/** Seconds from the history's first deploy step, for a problem's text. */
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/**
 * Every invocation ran on one version of the code: none pinned to a deployment whose code a deploy step replaced
 * behind its URL (in place, or by moving an alias) wrote commands before the replacement and went on after it (or is
 * still unfinished, so it will resume on the new code). Judged from Restate's record of each invocation (its pinned
 * deployment, its journal's times) and the deploy steps the history holds. A deploy with nothing in flight proves
 * nothing: at least one invocation must have run across the cut-over.
 */
export const oneVersionPerInvocation: Checker = {
  name: "one-version-per-invocation",
  check(history) {
    const found = new Findings();
    const steps = deployStepsOf(history);
    const runs = (lastObserved(history, "invocation-runs")?.runs ?? []) as InvocationRun[];
    const cutOver = steps.find((s) => s.step === "cut-over");
    if (cutOver === undefined) {
      found.add("the history holds no completed cut-over step: no deploy was judged");
      return found.result({ invocations: runs.length });
    }
    const across = runs.filter(
      (r) => r.firstCommandAt !== null && r.firstCommandAt < cutOver.doneAt && (r.status !== "completed" || (r.lastCommandAt ?? 0) > cutOver.doneAt),
    );
    if (across.length === 0) found.add("no invocation was in flight across the cut-over: the deploy met no booking mid-way and proves nothing");
    let mixed = 0;
    for (const replaced of steps.flatMap((s) => s.replaced)) {
      for (const run of runs.filter((r) => r.deployment === replaced.deployment && r.firstCommandAt !== null && r.firstCommandAt < replaced.at)) {
        const wentOn = run.status !== "completed" || (run.lastCommandAt ?? 0) > replaced.at;
        if (!wentOn) continue;
        mixed++;
        const after = run.status === "completed" ? `finished on ${replaced.version}` : `is ${run.status}, to resume on ${replaced.version}`;
        found.add(
          `${run.target} (${run.id}) started on deployment ${replaced.deployment} before its code was replaced by ${replaced.version} and ${after} ` +
            `(commands ${seconds(run.firstCommandAt! - cutOver.doneAt)} to ${seconds((run.lastCommandAt ?? run.firstCommandAt!) - cutOver.doneAt)} from the cut-over)`,
        );
      }
    }
    return found.result({ invocations: runs.length, acrossCutOver: across.length, mixedVersions: mixed });
  },
};
