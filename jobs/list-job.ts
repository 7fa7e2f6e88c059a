import { cellsFor } from "../benchmarks/config.js";
import { cellLabel } from "../harness/store/records.js";
import { GATES } from "../scenarios/index.js";
import { MUTANTS } from "../scenarios/mutants/catalogue.js";

/** What `nexus list` can list. */
export type ListTopic = "gates" | "mutants" | "cells";

/** The lines `nexus list` prints for `topics`: every gate with what it proves and needs, every mutant, every bench cell per size. */
export function listLines(topics: ListTopic[]): string[] {
  const lines: string[] = [];
  if (topics.includes("gates")) {
    lines.push(`gates (${GATES.length}):`);
    for (const gate of GATES) lines.push(`  ${gate.name.padEnd(22)} ${gate.title}${gate.needs?.length ? ` [needs ${gate.needs.join(", ")}]` : ""}`);
  }
  if (topics.includes("mutants")) {
    lines.push(`mutants (${MUTANTS.length}):`);
    for (const mutant of MUTANTS) lines.push(`  ${mutant.name.padEnd(32)} ${mutant.bug} [caught by ${mutant.gates.join(", ")}]`);
  }
  if (topics.includes("cells")) {
    for (const size of ["smoke", "quick", "full"] as const) {
      const cells = cellsFor(size, "saga");
      lines.push(`bench cells, --${size} (${cells.length} per design):`);
      for (const cell of cells) lines.push(`  ${cellLabel(cell)}${cell.durationS > 0 ? ` (${cell.durationS} s)` : ""}`);
    }
  }
  return lines;
}

/** Prints the gates, mutants and bench cells (or the topics named). */
export async function listJob(topics: ListTopic[]): Promise<number> {
  for (const line of listLines(topics)) console.log(line);
  return 0;
}
