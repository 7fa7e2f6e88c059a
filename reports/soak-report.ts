import type { TopLevelSpec } from "vega-lite";
import { answeredPeriods, countsLine, mibLine, type SoakRecord } from "../harness/store/soak-record.js";
import { renderSvg } from "./charts.js";
import { escapeHtml, STYLE, table, verdictBadge } from "./html.js";

const SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json";
const minutes = (ms: number) => Math.round((ms / 60_000) * 1000) / 1000;

/** The faults as vertical rules, for a chart's time axis (minutes). */
function faultLayer(record: SoakRecord) {
  return {
    data: { values: record.faultTimes.map((f) => ({ minute: minutes(f.at), fault: f.fault })) },
    mark: { type: "rule" as const, opacity: 0.35, aria: false },
    encoding: { x: { field: "minute", type: "quantitative" as const }, color: { value: "#c0392b" } },
  };
}

/** Resident memory of each sampled process, and Restate's block cache, over the run (MiB against minutes), faults as red rules. */
export function memoryChart(record: SoakRecord): TopLevelSpec {
  return {
    $schema: SCHEMA,
    width: 760,
    height: 240,
    layer: [
      faultLayer(record),
      {
        data: {
          values: record.samples.flatMap((s) => [
            { minute: minutes(s.at), role: s.role, rss: s.rssMiB },
            ...(s.blockCacheMiB === undefined ? [] : [{ minute: minutes(s.at), role: `${s.role} block cache`, rss: s.blockCacheMiB }]),
          ]),
        },
        mark: { type: "line", point: { size: 12 }, aria: false },
        encoding: {
          x: { field: "minute", type: "quantitative", title: "minutes since the soak began" },
          y: { field: "rss", type: "quantitative", title: "RSS (MiB)" },
          color: { field: "role", type: "nominal", title: "process" },
        },
      },
    ],
  };
}

/** The Worker's isolate over the run: live heap after a full GC, heap as found, wasm memory (MiB against minutes), faults as red rules. */
export function isolateChart(record: SoakRecord): TopLevelSpec {
  const values = record.isolate.flatMap((s) => [
    { minute: minutes(s.at), measure: "live heap", mib: s.liveHeapMiB, life: s.life },
    { minute: minutes(s.at), measure: "heap as found", mib: s.heapUsedMiB, life: s.life },
    { minute: minutes(s.at), measure: "wasm memory", mib: s.wasmMiB, life: s.life },
  ]);
  return {
    $schema: SCHEMA,
    width: 760,
    height: 200,
    layer: [
      faultLayer(record),
      {
        data: { values },
        mark: { type: "point", size: 14, aria: false },
        encoding: {
          x: { field: "minute", type: "quantitative", title: "minutes since the soak began" },
          y: { field: "mib", type: "quantitative", title: "Worker isolate (MiB)" },
          color: { field: "measure", type: "nominal", title: "" },
        },
      },
    ],
  };
}

/** p50 and p99 of the definite answers per window over the run (ms, log scale), faults as red rules. */
export function windowLatencyChart(record: SoakRecord): TopLevelSpec {
  const points = record.windows.flatMap((w) => [
    ...(w.p50Ms === null ? [] : [{ minute: minutes(w.startMs), quantile: "p50", ms: Math.max(1, w.p50Ms) }]),
    ...(w.p99Ms === null ? [] : [{ minute: minutes(w.startMs), quantile: "p99", ms: Math.max(1, w.p99Ms) }]),
  ]);
  return {
    $schema: SCHEMA,
    width: 760,
    height: 200,
    layer: [
      faultLayer(record),
      {
        data: { values: points },
        mark: { type: "line", point: true, aria: false },
        encoding: {
          x: { field: "minute", type: "quantitative", title: "window start (minutes)" },
          y: { field: "ms", type: "quantitative", scale: { type: "log" }, title: "latency of definite answers (ms)" },
          color: { field: "quantile", type: "nominal", title: "" },
        },
      },
    ],
  };
}

const fmt = (v: number | null | undefined) => (v === null || v === undefined ? "–" : String(v));
const chart = async (spec: TopLevelSpec, caption: string) =>
  `<figure class="chart">${await renderSvg(spec)}<figcaption>${escapeHtml(caption)}</figcaption></figure>`;

/** The soak's page: verdict and offenders, bookings and faults, memory and p99 over time, slopes, windows and checkers. Self-contained HTML. */
export async function renderSoakReport(record: SoakRecord, runName: string): Promise<string> {
  const { verdict, thresholds: t, bookings } = record;
  const cls = verdict.status;
  const offenders =
    verdict.offenders.length > 0
      ? table(
          ["kind", "what", "detail"],
          verdict.offenders.map((o) => [escapeHtml(o.kind), escapeHtml(o.subject), escapeHtml(o.detail)]),
        )
      : "<p>No offenders.</p>";
  const slopes = record.slopes.map((s) => [
    escapeHtml(`${s.judgedAs === "worker" ? "Worker" : "host"}: ${s.subject}`),
    escapeHtml(s.measure),
    escapeHtml(fmt(s.firstMiB)),
    escapeHtml(fmt(s.lastMiB)),
    escapeHtml(fmt(s.slopeMiBPerMin)),
    escapeHtml(fmt(s.projectedGrowthMiB)),
    escapeHtml(`${s.maxSlopeMiBPerMin} MiB/min, ${s.minGrowthMiB} MiB`),
    escapeHtml(`${s.samples} / ${s.incarnations}`),
    verdictBadge(!s.offends),
  ]);
  const r = record.recovery;
  const restarts = r.restarts.map((x, i) => [escapeHtml(i + 1), escapeHtml(minutes(x.at)), escapeHtml(x.readyMs)]);
  const windowRows = (ws: SoakRecord["windows"]) =>
    ws.map((w) => [
      escapeHtml(`${minutes(w.startMs)}–${minutes(w.endMs)}`),
      escapeHtml(w.definite),
      escapeHtml(`${w.ok} / ${w.fail} / ${w.unknown}`),
      escapeHtml(fmt(w.p50Ms)),
      escapeHtml(fmt(w.p99Ms)),
      escapeHtml(w.duringRecovery),
    ]);
  const periodRows = answeredPeriods(record.periods).map((p) => [
    escapeHtml(`${minutes(p.startMs)}–${minutes(p.endMs)}`),
    escapeHtml(`${p.ok} / ${p.fail} / ${p.unknown}`),
    escapeHtml(`${fmt(p.p50Ms)} / ${fmt(p.p99Ms)}`),
    escapeHtml(p.duringRecovery),
    escapeHtml(countsLine(p.faults)),
    escapeHtml(p.restateReadyMs.join(", ")),
    escapeHtml(`${fmt(p.maxLiveHeapMiB)} / ${fmt(p.maxWasmMiB)}`),
    escapeHtml(mibLine(p.maxRssMiB)),
    escapeHtml(p.maxBlockCacheMiB ?? "–"),
  ]);
  const faults = countsLine(record.faults) || "none";
  const d = record.drift;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>nexus soak: ${escapeHtml(runName)}</title><style>${STYLE}</style></head>
<body><div class="banner ${cls}">${escapeHtml(verdict.headline)}
<small>run ${escapeHtml(runName)} · seed ${escapeHtml(record.options.seed)} · ${escapeHtml(record.options.rate)}/s for ${escapeHtml(minutes(record.options.durationMs))} min · wall ${escapeHtml((record.wallMs / 1000).toFixed(0))} s</small></div><main>
<h2>Offenders</h2>${offenders}
<h2>Load</h2>
<p>${escapeHtml(bookings.launched)} bookings (${escapeHtml(bookings.ok)} ok, ${escapeHtml(bookings.fail)} refused, ${escapeHtml(bookings.unknown)} without a definite answer) in ${escapeHtml(bookings.attempts)} attempts; ${escapeHtml(bookings.droppedArrivals)} arrivals dropped. Faults: ${escapeHtml(faults)}.</p>
<h2>Memory</h2>
${record.isolate.length > 0 ? await chart(isolateChart(record), "The Worker's own isolate, read through its inspector: the live heap after a full garbage collection (what the Worker keeps), the heap as found (garbage included) and WebAssembly memory (the Restate SDK's core); red rules: faults.") : "<p>The Worker's isolate was not read (the harness does not run this Worker): its memory is judged by the host's RSS alone.</p>"}
${await chart(memoryChart(record), "Resident memory (VmRSS) of each host process, sampled every few seconds; red rules: a fault struck (a killed process comes back as a new pid).")}
<p>Slope: least squares over the second half, each life's first ${escapeHtml(t.warmupMs / 1000)} s left out; fails above its limit in MiB/min when that adds up to more than its growth limit within the longest judged life (the whole second half for a process never restarted). The Worker is judged on its isolate (${escapeHtml(t.workerMaxSlopeMiBPerMin)} MiB/min, ${escapeHtml(t.workerMinGrowthMiB)} MiB); the host processes on their RSS, with looser limits (${escapeHtml(t.maxSlopeMiBPerMin)} MiB/min, ${escapeHtml(t.minGrowthMiB)} MiB): it also holds what their allocators and garbage collectors have not handed back (docs/soak.md).</p>
${table(["what", "measure", "first MiB", "last MiB", "slope MiB/min", "growth in longest life MiB", "limits", "samples / lives", "verdict"], slopes)}
<h2>Restate's recovery</h2>
<p>Ready again after each restart: median ${escapeHtml(fmt(r.medianReadyMs))} ms, max ${escapeHtml(fmt(r.maxReadyMs))} ms; fails above ${escapeHtml(t.maxRestateReadyMs)} ms. ${escapeHtml(r.attempts)} checkout attempts were in flight while Restate was down or recovering (p99 ${escapeHtml(fmt(r.p99Ms))} ms): they are left out of the latency windows and the drift below, which judge the Worker. ${verdictBadge(!r.offends)}</p>
${restarts.length > 0 ? table(["restart", "at (minutes)", "ready after (ms)"], restarts, "ops") : ""}
<h2>Latency</h2>
${await chart(windowLatencyChart(record), `p50 and p99 of definite answers per ${record.options.windowMs / 1000} s window (log scale); red rules: faults.`)}
<p>Drift, over windows of ${escapeHtml(d.windowMs / 1000)} s: median p99 of the first ${escapeHtml(d.setSize)} eligible windows ${escapeHtml(fmt(d.firstP99Ms))} ms, of the last ${escapeHtml(d.setSize)} ${escapeHtml(fmt(d.lastP99Ms))} ms (×${escapeHtml(fmt(d.factor))}; ${escapeHtml(d.eligible)} eligible windows); fails above ×${escapeHtml(t.maxP99Factor)} and +${escapeHtml(t.minP99IncreaseMs)} ms. ${d.firstP99Ms === null ? "Too few windows to judge." : ""}</p>
${record.periods.length > 1 ? `<h3>Every 5 minutes</h3>${table(["minutes", "ok / fail / unknown", "p50 / p99 ms", "left out (recovery)", "faults", "Restate ready (ms)", "isolate live heap / wasm MiB (max)", "host RSS MiB (max)", "Restate block cache MiB (max)"], periodRows, "ops")}` : ""}
<details><summary>Every ${escapeHtml(record.options.windowMs / 1000)} s window</summary>${table(["minutes", "definite", "ok / fail / unknown", "p50 ms", "p99 ms", "left out (recovery)"], windowRows(record.windows), "ops")}</details>
<h2>Checkers</h2>
${table(
  ["checker", "verdict", "first problems"],
  record.checkers.map((c) => [escapeHtml(c.name), verdictBadge(c.valid), escapeHtml(c.problems.slice(0, 3).join("; "))]),
)}
<p>History, final state and results: <a href="${escapeHtml(record.gateFolder)}/">${escapeHtml(record.gateFolder)}/</a> (judge again with nexus check). Raw figures: <a href="soak.json">soak.json</a>.</p>
</main></body></html>
`;
}
