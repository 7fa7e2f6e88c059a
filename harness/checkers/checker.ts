import type { FinalState } from "../final-state.js";
import type { Op } from "../history.js";

/** A verdict: false beats "unknown" beats true when verdicts are combined. */
export type Verdict = true | false | "unknown";

/** What one checker found. `problems` names each violation concretely (booking, seat, ledger entry). */
export interface CheckResult {
  name: string;
  valid: Verdict;
  problems: string[];
  /** Counts worth reporting (e.g. bookings checked). */
  stats: Record<string, number>;
}

/** A pure function of a history and a final state. */
export interface Checker {
  name: string;
  check(history: Op[], state: FinalState): Omit<CheckResult, "name">;
}

/** Combines verdicts: any false is false, else any unknown is unknown, else true. */
export function mergeVerdicts(verdicts: Verdict[]): Verdict {
  if (verdicts.includes(false)) return false;
  if (verdicts.includes("unknown")) return "unknown";
  return true;
}

/** Runs every checker; one that throws yields "unknown" with its error, never true. */
export function runCheckers(checkers: Checker[], history: Op[], state: FinalState): { valid: Verdict; results: CheckResult[] } {
  const results = checkers.map((checker): CheckResult => {
    try {
      return { name: checker.name, ...checker.check(history, state) };
    } catch (error) {
      return { name: checker.name, valid: "unknown", problems: [`checker crashed: ${(error as Error).message}`], stats: {} };
    }
  });
  return { valid: mergeVerdicts(results.map((r) => r.valid)), results };
}

/** A verdict from a list of problems: none found is true. */
export function verdictOf(problems: string[]): Verdict {
  return problems.length === 0;
}
