import type { Op } from "./history.js";

/** What the clients saw after one nemesis op: how long until a checkout invoked after it got a definite answer. */
export interface Stall {
  /** The nemesis op's fault (e.g. "isolate-leader", "heal"). */
  fault: string;
  /** When the fault was applied (its nemesis op's invocation), ms since the history began. */
  at: number;
  /** From `at` to the first definite answer (ok or fail) of a checkout invoked at or after `at`; undefined: none came. */
  firstAnswerMs: number | undefined;
  /** The longest stretch with no definite checkout answer at all, from `at` until the next nemesis op (or the end). */
  longestSilenceMs: number;
}

/** The stall after each completed nemesis op of `history`, in order. Pure. */
export function stallsAfterFaults(history: Op[]): Stall[] {
  const faults = history.filter((op) => op.process === "nemesis" && op.type === "ok");
  const invokedAt = new Map(history.filter((op) => op.type === "invoke").map((op) => [op.index, op.time]));
  const answers = history.filter((op) => op.f === "checkout" && (op.type === "ok" || op.type === "fail"));
  const end = history.at(-1)?.time ?? 0;
  return faults.map((fault, i) => {
    const at = invokedAt.get(fault.invokeIndex!) ?? fault.time;
    const until = i + 1 < faults.length ? (invokedAt.get(faults[i + 1]!.invokeIndex!) ?? end) : end;
    const first = answers.find((a) => a.time >= at && (invokedAt.get(a.invokeIndex!) ?? -1) >= at);
    let last = at;
    let longest = 0;
    for (const answer of answers.filter((a) => a.time >= at && a.time <= until)) {
      longest = Math.max(longest, answer.time - last);
      last = answer.time;
    }
    longest = Math.max(longest, until - last);
    return { fault: String(fault.value.fault ?? fault.f), at, firstAnswerMs: first === undefined ? undefined : first.time - at, longestSilenceMs: longest };
  });
}
