import { basename } from "node:path";
import { cellLabel, type CompareRecord } from "../harness/store/records.js";
import { readRun, writeReportHtml, type StoredBench, type StoredGate, type StoredRun } from "../harness/store/run-store.js";
import { runVerdict } from "../harness/store/verdict.js";
import { compareChart, heatMapChart, latencyChart, percentileChart, renderSvg, throughputChart, timelineChart } from "./charts.js";
import { escapeHtml, failedCheckerHtml, STYLE, table, verdictBadge, verdictClass } from "./html.js";

const duration = (ms: number | null) => (ms === null ? "–" : `${(ms / 1000).toFixed(1)} s`);
const link = (href: string, text = href) => `<a href="${escapeHtml(href)}">${escapeHtml(text)}</a>`;
const chart = async (spec: Parameters<typeof renderSvg>[0], caption: string) =>
  `<figure class="chart">${await renderSvg(spec)}<figcaption>${escapeHtml(caption)}</figcaption></figure>`;

function bannerHtml(run: StoredRun): string {
  const verdict = runVerdict(run);
  const cls = verdict.status === "pass" ? "pass" : verdict.status === "fail" ? "fail" : "unknown";
  return `<div class="banner ${cls}">${escapeHtml(verdict.headline)}
<small>run ${escapeHtml(run.name)}${run.seed !== null ? ` · seed ${escapeHtml(run.seed)} (replay with nexus run --seed ${escapeHtml(run.seed)})` : ""} · ${escapeHtml(duration(run.durationMs))}</small></div>`;
}

function gateRow(gate: StoredGate): string[] {
  const chips = gate.results.map((r) => `<span class="chip ${verdictClass(r.valid)}">${escapeHtml(r.name)}</span>`).join("");
  const ops = gate.history.filter((op) => op.type === "invoke" && op.process !== "nemesis").length;
  const faults = gate.history.filter((op) => op.type === "invoke" && op.process === "nemesis").length;
  return [
    verdictBadge(gate.valid),
    `<a href="#gate-${escapeHtml(gate.folder)}">${escapeHtml(gate.spec.gate)}</a>`,
    escapeHtml(gate.spec.title),
    escapeHtml(ops),
    escapeHtml(faults),
    chips,
  ];
}

async function gateDetails(gate: StoredGate): Promise<string> {
  const failed = gate.results.filter((r) => r.valid !== true);
  const violations = failed.map((r) => failedCheckerHtml(r, gate.history, gate.ledger)).join("\n");
  const stats = [
    ...gate.results.map((r) => [
      escapeHtml(r.name),
      verdictBadge(r.valid),
      escapeHtml(
        Object.entries(r.stats)
          .map(([k, v]) => `${k} ${v}`)
          .join(", "),
      ),
    ]),
    ...gate.skippedCheckers.map((c) => [escapeHtml(c.name), '<span class="badge unknown">SKIPPED</span>', escapeHtml(c.reason)]),
  ];
  const files = gate.files.map((f) => link(f, f.split("/").pop())).join(" · ");
  return `<details class="gate" id="gate-${escapeHtml(gate.folder)}"${gate.valid === true ? "" : " open"}>
<summary>${verdictBadge(gate.valid)} ${escapeHtml(gate.spec.gate)}: ${escapeHtml(gate.spec.title)}</summary>
${violations}
${table(["checker", "verdict", "counts"], stats)}
${await chart(timelineChart(gate.history), "Timeline: a lane per client, a bar per operation from invocation to completion (green ok, orange fail, purple info = unknown); red shading: nemesis active.")}
${await chart(latencyChart(gate.history), "Latency of each operation over time (log scale), same colours and shading.")}
<p>Files: ${files}</p></details>`;
}

const fmt = (v: number | null | undefined) => (v === null || v === undefined ? "–" : String(v));

async function benchHtml(bench: StoredBench): Promise<string> {
  const goals = Object.entries(bench.goals).map(([name, g]) => [
    escapeHtml(name),
    escapeHtml(fmt(g.value)),
    escapeHtml(g.target),
    g.met === null ? "not measured" : g.met ? '<span class="badge pass">met</span>' : '<span class="badge fail">not met</span>',
  ]);
  const ratios = bench.comparisons.map((c) => [
    escapeHtml(`${c.design} / baseline`),
    escapeHtml(c.cell),
    escapeHtml(`×${fmt(c.confirmedPerS)}`),
    escapeHtml(`×${fmt(c.p50)}`),
    escapeHtml(`×${fmt(c.p99)}`),
  ]);
  const cells = bench.cells.map((c) => [
    escapeHtml(c.design),
    escapeHtml(cellLabel(c)),
    escapeHtml(c.confirmedPerS),
    escapeHtml(`${c.p50ConfirmedMs} / ${c.p99ConfirmedMs}`),
    escapeHtml(`${c.p50RefusedMs} / ${c.p99RefusedMs}`),
    escapeHtml(`${c.conflicts} / ${c.declines} / ${c.errors}`),
    escapeHtml(fmt(c.workerRequestsPerConfirmed)),
    escapeHtml(fmt(c.invocationsPerConfirmed)),
    escapeHtml(fmt(c.workerCpuMsPerConfirmed)),
    escapeHtml(c.usdPer1000Confirmed == null ? "–" : `$${c.usdPer1000Confirmed}`),
    escapeHtml(
      Object.entries(c.cpu)
        .filter(([, v]) => v >= 0.01)
        .map(([k, v]) => `${k} ${v}`)
        .join(", "),
    ),
    !c.audit.valid
      ? `${verdictBadge(false)} ${escapeHtml(c.audit.problems[0] ?? "audit failed")}`
      : c.valid
        ? verdictBadge(true)
        : `<span class="badge unknown">UNMEASURED</span> ${escapeHtml(`dropped ${c.droppedIterations} iterations`)}`,
  ]);
  const heat = heatMapChart(bench.cells);
  const hot = bench.cells.filter((c) => c.workload === "hot-seat");
  const hotGateways = [...new Set(hot.map((c) => c.gateway))];
  const losers = [...new Set(hot.map((c) => c.design))].map((design) => [
    escapeHtml(design),
    ...hotGateways.map((gateway) => {
      const c = hot.find((h) => h.design === design && h.gateway === gateway);
      return escapeHtml(c ? `${c.p50RefusedMs} / ${c.p99RefusedMs}` : "–");
    }),
  ]);
  const dashboards = bench.dashboards.length > 0 ? `<p>Locust reports: ${bench.dashboards.map((d) => link(d, d.split("/").pop())).join(" · ")}</p>` : "";
  return `<h2 id="bench">Benchmarks (${escapeHtml(bench.size)})</h2>
${table(["goal", "value", "target", "met"], goals)}
${table(["designs", "cell", "confirmed/s", "p50", "p99"], ratios)}
${await chart(throughputChart(bench.cells), "Confirmed bookings per second per cell, each design side by side.")}
${await chart(percentileChart(bench.cells), "Checkout latency: p50 (circle), p90 (square), p99 (triangle), log scale.")}
${heat ? await chart(heat, "Contention matrix (fast gateway): confirmed/s by seats × virtual users.") : ""}
${losers.length > 0 ? `<p>Losers' wait on a hot seat: how long a checkout refused because the seat was taken (409) waits, p50 / p99 ms, at each gateway latency.</p>\n${table(["design", ...hotGateways], losers)}` : ""}
${table(["design", "cell", "confirmed/s", "confirmed p50 / p99 ms", "refused (409) p50 / p99 ms", "409 / 402 / other", "Worker requests per confirmed", "Restate invocations per confirmed", "Worker CPU-ms per confirmed", "cost of 1,000 confirmed on Workers", "CPU (share of a core)", "audit"], cells, "ops")}
${bench.prices ? `<p>Cost: Worker requests and workerd's CPU-ms per confirmed booking (an upper bound on billed CPU) at $${bench.prices.perMillionRequests} per million requests and $${bench.prices.perMillionCpuMs} per million CPU-ms (${escapeHtml(bench.prices.source)}); Restate's own cost is not included.</p>` : ""}
<p>Raw figures: ${link(bench.file)}</p>${dashboards}`;
}

async function compareHtml(compare: CompareRecord): Promise<string> {
  const rows = Object.keys(compare.local.stats).flatMap((w) => [
    ...[compare.local, compare.remote].map((side) => {
      const s = side.stats[w]!;
      return [
        escapeHtml(w),
        escapeHtml(side.label),
        ...[s.p50, s.p90, s.p99, s.max].map((v) => escapeHtml(v)),
        escapeHtml(`${s.count + s.errors} / ${s.errors}`),
      ];
    }),
    [
      escapeHtml(w),
      "<b>remote − local</b>",
      ...(["p50", "p90", "p99", "max"] as const).map((k) => `<b>${escapeHtml(`${compare.difference[w]![k] >= 0 ? "+" : ""}${compare.difference[w]![k]}`)}</b>`),
      "",
    ],
  ]);
  return `<h2 id="compare">Local against remote</h2>
<p>Local: ${escapeHtml(compare.local.ingress)} · remote: ${escapeHtml(compare.remote.ingress)} · Worker called by the remote: ${escapeHtml(compare.workerUrl)}</p>
${table(["workload", "side", "p50 ms", "p90 ms", "p99 ms", "max ms", "calls / failed"], rows, "ops")}
${await chart(compareChart(compare), "Latency of each workload, local (blue) and remote (orange): p50 circle, p90 square, p99 triangle, log scale.")}`;
}

function environmentHtml(run: StoredRun): string {
  const spec = run.gates[0]?.spec;
  const compared = run.compare ? { ...run.compare.versions.local, "remote restate": run.compare.versions.remote } : {};
  const versions = { ...compared, ...(run.bench?.versions ?? {}), ...(spec?.versions ?? {}) };
  const rows = [
    ...Object.entries(versions).map(([k, v]) => [escapeHtml(k), escapeHtml(v)]),
    ["runtime", escapeHtml(spec?.runtime ?? "–")],
    ["Worker under test", escapeHtml(spec?.worker?.name ?? run.summary?.worker ?? "–")],
    ["cores", escapeHtml(run.bench?.cores ?? run.cores ?? "–")],
    ["seed", escapeHtml(run.seed ?? "–")],
    // The folder's name: the report sits in it, and a full path would only show where one machine kept it.
    ["run folder", escapeHtml(basename(run.dir))],
  ];
  return `<h2>Environment</h2>${table(["what", "version / value"], rows)}`;
}

/** Renders a stored run as one self-contained HTML page (styles and SVG charts inline; no script, no network). */
export async function renderReport(run: StoredRun): Promise<string> {
  const gates =
    run.gates.length > 0
      ? `<h2>Gates</h2>${table(["verdict", "gate", "what it proves", "operations", "faults", "checkers"], run.gates.map(gateRow), "gates")}\n${(await Promise.all(run.gates.map(gateDetails))).join("\n")}`
      : "";
  const benchSkipped = run.summary?.bench.skipped;
  const bench = run.bench ? await benchHtml(run.bench) : benchSkipped ? `<h2>Benchmarks</h2><p>Not run: ${escapeHtml(benchSkipped)}</p>` : "";
  const skipped =
    run.skipped.length > 0 ? `<p>Skipped: ${run.skipped.map((s) => `<b>${escapeHtml(s.gate)}</b> (${escapeHtml(s.reason)})`).join("; ")}</p>` : "";
  const compare = run.compare ? await compareHtml(run.compare) : "";
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>nexus report: ${escapeHtml(run.name)}</title><style>${STYLE}</style></head>
<body>${bannerHtml(run)}<main>
${gates}
${skipped}
${bench}
${compare}
${environmentHtml(run)}
</main></body></html>
`;
}

/** Builds `<run>/index.html` from the stored run in `dir`; returns its path and size in bytes, and the run it read. */
export async function buildReport(dir: string): Promise<{ path: string; bytes: number; run: StoredRun }> {
  const run = readRun(dir);
  const html = await renderReport(run);
  return { path: await writeReportHtml(dir, html), bytes: Buffer.byteLength(html), run };
}
