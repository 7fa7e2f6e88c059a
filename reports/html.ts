import type { CheckResult, LedgerEntry, Offenders, Op, Verdict } from "../harness/store/records.js";

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

/** The CSS class of a verdict: pass, fail or unknown (its word is the class in capitals). */
export function verdictClass(valid: Verdict | boolean | null): "pass" | "fail" | "unknown" {
  return valid === true ? "pass" : valid === false ? "fail" : "unknown";
}

/** A verdict as a badge: PASS, FAIL or UNKNOWN. */
export function verdictBadge(valid: Verdict | boolean | null): string {
  const cls = verdictClass(valid);
  return `<span class="badge ${cls}">${cls.toUpperCase()}</span>`;
}

/** A table from a header and rows of already-escaped cells. */
export function table(head: string[], rows: string[][], cls = ""): string {
  const th = head.map((h) => `<th>${escapeHtml(h)}</th>`).join("");
  const body = rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join("")}</tr>`).join("\n");
  return `<table class="${cls}"><thead><tr>${th}</tr></thead><tbody>${body}</tbody></table>`;
}

/** The bookings, seats and ledger entries a checker's result names; a result stored before checkers named them has none. */
export function offendersNamedBy(result: CheckResult): Offenders {
  const stored = (result as { offenders?: Partial<Offenders> }).offenders;
  return { bookings: stored?.bookings ?? [], seats: stored?.seats ?? [], ledger: stored?.ledger ?? [] };
}

/**
 * The operations and ledger entries concerned by what a failed checker named (at most `limit` of each): the
 * workload's operations on a booking or seat it named, and the ledger entries it named or that name a booking it named.
 */
export function offendersOf(result: CheckResult, history: Op[], ledger: LedgerEntry[], limit = 12): { ops: Op[]; entries: LedgerEntry[] } {
  const offenders = offendersNamedBy(result);
  const bookings = new Set(offenders.bookings);
  const seats = new Set(offenders.seats);
  const seqs = new Set(offenders.ledger);
  const isIn = (ids: Set<string>, v: unknown) => typeof v === "string" && ids.has(v);
  return {
    ops: history.filter((op) => op.process !== "gate" && (isIn(bookings, op.value.bookingId) || isIn(seats, op.value.ticketId))).slice(0, limit),
    entries: ledger.filter((e) => seqs.has(e.seq) || isIn(bookings, e.bookingId)).slice(0, limit),
  };
}

/** A failed (or unknown) checker: the invariant it guards, what it found, and the operations and ledger entries concerned. */
export function failedCheckerHtml(result: CheckResult, history: Op[], ledger: LedgerEntry[]): string {
  const { ops, entries } = offendersOf(result, history, ledger);
  const problems = result.problems
    .slice(0, 20)
    .map((p) => `<li>${escapeHtml(p)}</li>`)
    .join("");
  const more = result.problems.length > 20 ? `<li>… and ${result.problems.length - 20} more</li>` : "";
  const opRows = ops.map((op) => [
    escapeHtml(op.index),
    escapeHtml(op.time),
    escapeHtml(op.process),
    escapeHtml(op.type),
    escapeHtml(op.f),
    escapeHtml(op.value.bookingId ?? ""),
    escapeHtml(op.value.ticketId ?? ""),
    escapeHtml(op.value.status ?? op.value.error ?? ""),
  ]);
  const entryRows = entries.map((e) => [
    escapeHtml(e.seq),
    escapeHtml(e.kind),
    escapeHtml(e.bookingId ?? ""),
    escapeHtml(e.ticketId ?? ""),
    escapeHtml(e.idempotencyKey ?? "(none)"),
    escapeHtml(e.status),
    escapeHtml(e.amount),
    escapeHtml(e.replay ? "replay" : e.injected ? "injected fault" : ""),
  ]);
  return `<div class="violation"><h4>${verdictBadge(result.valid)} ${escapeHtml(result.name)}</h4><ul>${problems}${more}</ul>
${ops.length > 0 ? `<p>Operations concerned:</p>${table(["#", "ms", "process", "type", "f", "booking", "seat", "status / error"], opRows, "ops")}` : ""}
${entries.length > 0 ? `<p>Ledger entries concerned:</p>${table(["seq", "kind", "booking", "seat", "idempotency key", "HTTP", "amount", ""], entryRows, "ops")}` : ""}</div>`;
}

/** The page's inline style: readable, printable, no web fonts. */
export const STYLE = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1d1d1f;background:#fafafa}
main{max-width:1100px;margin:0 auto;padding:0 20px 40px}
.banner{padding:18px 20px;color:#fff;font-size:20px}
.banner.pass{background:#2e7d32}.banner.fail{background:#b3261e}.banner.unknown{background:#8a6d00}
.banner small{display:block;font-size:13px;opacity:.9}
h2{margin-top:32px;border-bottom:1px solid #ddd;padding-bottom:4px}
table{border-collapse:collapse;margin:8px 0;background:#fff}
th,td{border:1px solid #ddd;padding:3px 8px;text-align:left;vertical-align:top}
th{background:#f0f0f0}
table.ops{font-size:12px}
.badge{display:inline-block;padding:0 6px;border-radius:3px;font-size:11px;font-weight:600;color:#fff}
.badge.pass{background:#2e7d32}.badge.fail{background:#b3261e}.badge.unknown{background:#8a6d00}
.chip{display:inline-block;margin:1px 3px 1px 0;padding:0 6px;border-radius:9px;font-size:12px;border:1px solid #ccc}
.chip.pass{border-color:#2e7d32;color:#2e7d32}.chip.fail{border-color:#b3261e;color:#b3261e;font-weight:600}.chip.unknown{border-color:#8a6d00;color:#8a6d00}
details.gate{background:#fff;border:1px solid #ddd;margin:10px 0;padding:6px 12px}
details.gate>summary{cursor:pointer;font-weight:600}
.violation{border-left:4px solid #b3261e;padding-left:10px;margin:10px 0}
.chart svg{max-width:100%;height:auto}
code{font-size:12px}
`;
