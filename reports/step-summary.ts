import { appendFile } from "node:fs/promises";
import type { StoredRun } from "../harness/store/run-store.js";
import { runVerdict } from "../harness/store/verdict.js";

/** One line of the step summary: a gate (or test), its verdict, what failed, and the seed that replays it. */
export interface SummaryRow {
  name: string;
  verdict: "PASS" | "FAIL" | "UNKNOWN" | "SKIP";
  /** Failed checkers (or the first error line), or the reason for a skip. */
  detail: string;
  seed: number | null;
}

const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ").slice(0, 300);

/** A short markdown summary: the headline, a table of what did not pass (or every row when all passed, up to 30). */
export function stepSummaryMarkdown(title: string, headline: string, rows: SummaryRow[], replay: string | null): string {
  const notPassed = rows.filter((r) => r.verdict !== "PASS");
  const shown = (notPassed.length > 0 ? notPassed : rows).slice(0, 30);
  const lines = [`### ${title}`, "", `**${cell(headline)}**`, ""];
  if (shown.length > 0) {
    lines.push("| verdict | gate | details | seed |", "| --- | --- | --- | --- |");
    for (const r of shown) lines.push(`| ${r.verdict} | ${cell(r.name)} | ${cell(r.detail)} | ${r.seed ?? ""} |`);
    lines.push("");
  }
  if (replay) lines.push(`Replay: \`${replay}\``, "");
  return lines.join("\n");
}

/** The rows of a stored run: each gate with its failed checkers, and each skipped gate with its reason. */
export function rowsOfRun(run: StoredRun): SummaryRow[] {
  return [
    ...run.gates.map(
      (g): SummaryRow => ({
        name: g.spec.gate,
        verdict: g.valid === true ? "PASS" : g.valid === false ? "FAIL" : "UNKNOWN",
        detail: g.results
          .filter((r) => r.valid !== true)
          .map((r) => `${r.name}: ${r.problems[0] ?? ""}`)
          .join("; "),
        seed: g.spec.seed,
      }),
    ),
    ...run.skipped.map((s): SummaryRow => ({ name: s.gate, verdict: "SKIP", detail: s.reason, seed: null })),
  ];
}

/** Appends `markdown` to the file GITHUB_STEP_SUMMARY names, when it is set; returns whether it wrote. */
export async function appendStepSummary(markdown: string): Promise<boolean> {
  const path = process.env.GITHUB_STEP_SUMMARY;
  if (path === undefined || path === "") return false;
  await appendFile(path, `${markdown}\n`);
  return true;
}

/** The step summary of a stored `nexus run`: its one verdict, what did not pass, and the command that replays it. */
export function runStepSummary(run: StoredRun): string {
  const failed = run.gates
    .filter((g) => g.valid !== true)
    .map((g) => ` --gate ${g.spec.gate}`)
    .join("");
  const replay = run.seed === null ? null : `nexus run --seed ${run.seed}${failed}`;
  return stepSummaryMarkdown(`nexus run ${run.name}`, runVerdict(run).headline, rowsOfRun(run), replay);
}
