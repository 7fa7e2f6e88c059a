import type { FinalState } from "../history/final-state.js";
import type { Op } from "../history/history.js";
import type { WorkerCapabilities } from "../worker/worker-description.js";

/** A verdict: false beats "unknown" beats true when verdicts are combined. */
export type Verdict = true | false | "unknown";

/** What a checker's problems are about: booking ids, seat ids and gateway ledger entries (`seq`), each sorted, none twice. */
export interface Offenders {
  bookings: string[];
  seats: string[];
  ledger: number[];
}

/** What one checker found. `problems` names each violation concretely (booking, seat, ledger entry). */
export interface CheckResult {
  name: string;
  valid: Verdict;
  problems: string[];
  /** The bookings, seats and ledger entries the problems name, for a report to link exactly. */
  offenders: Offenders;
  /** Counts worth reporting (e.g. bookings checked). */
  stats: Record<string, number>;
}

/** What one problem is about; absent ids (null, undefined, empty) are left out. */
export interface About {
  bookings?: Array<string | null | undefined>;
  seats?: Array<string | null | undefined>;
  ledger?: Array<number | null | undefined>;
}

/** One problem and what it is about. */
export interface Finding {
  problem: string;
  about: About;
}

/** No offenders at all. */
export function noOffenders(): Offenders {
  return { bookings: [], seats: [], ledger: [] };
}

/**
 * What a checker finds, problem by problem, each with the bookings, seats and ledger entries it names: the result's
 * `problems` in the order added, and its `offenders` gathered from them.
 */
export class Findings {
  readonly problems: string[] = [];
  private readonly bookings = new Set<string>();
  private readonly seats = new Set<string>();
  private readonly ledger = new Set<number>();

  /** Records `problem`, about the bookings, seats and ledger entries (seq) it names. */
  add(problem: string, about: About = {}): void {
    this.problems.push(problem);
    for (const id of about.bookings ?? []) if (typeof id === "string" && id.length > 0) this.bookings.add(id);
    for (const id of about.seats ?? []) if (typeof id === "string" && id.length > 0) this.seats.add(id);
    for (const seq of about.ledger ?? []) if (typeof seq === "number") this.ledger.add(seq);
  }

  /** Records each finding in turn. */
  addAll(findings: Finding[]): void {
    for (const { problem, about } of findings) this.add(problem, about);
  }

  /** True until a problem is added. */
  get none(): boolean {
    return this.problems.length === 0;
  }

  /** The offenders named so far, sorted. */
  offenders(): Offenders {
    return {
      bookings: [...this.bookings].sort(),
      seats: [...this.seats].sort(),
      ledger: [...this.ledger].sort((a, b) => a - b),
    };
  }

  /** The checker's result: valid when no problem was added, unless `valid` says otherwise. */
  result(stats: Record<string, number>, valid: Verdict = this.none): Omit<CheckResult, "name"> {
    return { valid, problems: [...this.problems], offenders: this.offenders(), stats };
  }
}

/** A pure function of a history and a final state. */
export interface Checker {
  name: string;
  /** What the Worker must offer for this checker to apply; a gate on a Worker without it leaves the checker out, saying why. */
  needs?: Array<keyof WorkerCapabilities>;
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
      return { name: checker.name, valid: "unknown", problems: [`checker crashed: ${(error as Error).message}`], offenders: noOffenders(), stats: {} };
    }
  });
  return { valid: mergeVerdicts(results.map((r) => r.valid)), results };
}
