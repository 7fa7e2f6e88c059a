import { verdictWord } from "../harness/system/colour.js";
import { ExitCode } from "../harness/system/errors.js";
import type { RunVerdict } from "../harness/store/verdict.js";

/** The exit code of a run's verdict: 0 for PASS only; a failed, undecided or empty run is `gateFailed`. */
export function exitCodeOfVerdict(verdict: RunVerdict): number {
  return verdict.status === "pass" ? ExitCode.ok : ExitCode.gateFailed;
}

/** The verdict's headline for the terminal, its first word coloured. */
export function headlineLine(verdict: RunVerdict): string {
  const colon = verdict.headline.indexOf(":");
  return `${verdictWord(verdict.headline.slice(0, colon))}${verdict.headline.slice(colon)}`;
}
