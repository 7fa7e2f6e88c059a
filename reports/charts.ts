import * as vega from "vega";
import { compile, type TopLevelSpec } from "vega-lite";
import { cellLabel, type CellRecord, type Comparison, type Op } from "../harness/store/records.js";

/** Colours of completions, as Jepsen draws them: ok, fail (it did not happen), info (unknown). */
const OUTCOME_COLOURS = { domain: ["ok", "fail", "info"], range: ["#2e9e4f", "#d9822b", "#9b59b6"] };
const DESIGN_COLOURS: Record<string, string> = { saga: "#2f6fbf", "saga-bidi": "#6fa8dc", "seat-owned": "#2e9e5b", baseline: "#a0a0a0" };
/** Log-scale ticks that stay readable from 1 ms to a minute. */
const MS_TICKS = [1, 3, 10, 30, 100, 300, 1000, 3000, 10000, 30000, 60000];

/** The colour scale of the designs present in `cells`, in a fixed order. */
function designScale(cells: CellRecord[]) {
  const domain = Object.keys(DESIGN_COLOURS).filter((d) => cells.some((c) => c.design === d));
  return { domain, range: domain.map((d) => DESIGN_COLOURS[d]!) };
}

/** Renders a Vega-Lite spec to a standalone SVG string (no DOM, no canvas, no network). */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** One operation of a timeline: who, from when to when, how it ended. */
export interface TimelineBar {
  process: string;
  f: string;
  start: number;
  end: number;
  outcome: "ok" | "fail" | "info";
}

/** A nemesis window: the fault and the time it was active. */
export interface NemesisWindow {
  fault: string;
  start: number;
  end: number;
}

/**
 * Pairs each invocation with its completion: one bar per operation (an invocation never completed is "info" up to
 * the end of the history), and the nemesis's operations as windows. The workload's expectations are left out.
 */
export function timelineOf(history: Op[]): { bars: TimelineBar[]; windows: NemesisWindow[] } {
  const end = history.reduce((max, op) => Math.max(max, op.time), 0);
  const completions = new Map(history.filter((op) => op.invokeIndex !== undefined).map((op) => [op.invokeIndex!, op]));
  const bars: TimelineBar[] = [];
  const windows: NemesisWindow[] = [];
  for (const op of history) {
    if (op.type !== "invoke") continue;
    const done = completions.get(op.index);
    if (op.process === "nemesis") {
      windows.push({ fault: op.f, start: op.time, end: done?.time ?? end });
      continue;
    }
    const outcome = done === undefined ? "info" : (done.type as TimelineBar["outcome"]);
    bars.push({ process: op.process, f: op.f, start: op.time, end: done?.time ?? end, outcome });
  }
  return { bars, windows };
}

/** Jepsen-style timeline of a gate: a lane per client, a bar per operation coloured by outcome, nemesis windows shaded. */
export function timelineChart(history: Op[]): TopLevelSpec {
  const { bars, windows } = timelineOf(history);
  const lanes = new Set(bars.map((b) => b.process)).size;
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    width: 760,
    height: Math.min(640, Math.max(60, lanes * 11)),
    layer: [
      {
        data: { values: windows },
        mark: { type: "rect", color: "#c0392b", opacity: 0.12, aria: false },
        encoding: { x: { field: "start", type: "quantitative" }, x2: { field: "end" } },
      },
      {
        data: { values: bars },
        // No per-operation ARIA labels: thousands of them would triple the page; the chart keeps its description.
        mark: { type: "rule", strokeWidth: 5, strokeCap: "round", aria: false },
        encoding: {
          x: { field: "start", type: "quantitative", title: "time since the gate began (ms)" },
          x2: { field: "end" },
          y: { field: "process", type: "nominal", title: null, sort: null, axis: lanes > 40 ? { labels: false, ticks: false } : {} },
          color: { field: "outcome", type: "nominal", scale: OUTCOME_COLOURS, title: "outcome" },
        },
      },
    ],
  };
}

/** Latency of each operation over time (Jepsen's latency plot), log scale, coloured by outcome, nemesis windows shaded. */
export function latencyChart(history: Op[]): TopLevelSpec {
  const { bars, windows } = timelineOf(history);
  const points = bars.map((b) => ({ ...b, latency: Math.max(1, b.end - b.start) }));
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    width: 760,
    height: 180,
    layer: [
      {
        data: { values: windows },
        mark: { type: "rect", color: "#c0392b", opacity: 0.12, aria: false },
        encoding: { x: { field: "start", type: "quantitative" }, x2: { field: "end" } },
      },
      {
        data: { values: points },
        mark: { type: "point", filled: true, size: 14, opacity: 0.7, aria: false },
        encoding: {
          x: { field: "start", type: "quantitative", title: "time since the gate began (ms)" },
          y: { field: "latency", type: "quantitative", scale: { type: "log" }, axis: { values: MS_TICKS }, title: "latency (ms)" },
          color: { field: "outcome", type: "nominal", scale: OUTCOME_COLOURS, title: "outcome" },
        },
      },
    ],
  };
}

const checkoutCells = (cells: CellRecord[]) => cells.filter((c) => c.workload !== "trivial").map((c) => ({ ...c, cell: cellLabel(c) }));

/** Confirmed bookings per second of every checkout cell, each design side by side. */
export function throughputChart(cells: CellRecord[]): TopLevelSpec {
  const values = checkoutCells(cells);
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    width: 560,
    data: { values },
    mark: "bar",
    encoding: {
      y: { field: "cell", type: "nominal", sort: null, title: null },
      yOffset: { field: "design" },
      x: { field: "confirmedPerS", type: "quantitative", title: "confirmed bookings / s" },
      color: { field: "design", type: "nominal", scale: designScale(cells) },
    },
  };
}

/** One latency figure: which row (cell, workload), which group (design, side), which percentile. */
interface PercentilePoint {
  row: string;
  group: string;
  percentile: "p50" | "p90" | "p99";
  ms: number;
}

/** p50/p90/p99 as circle/square/triangle on a log axis, one line per row, its groups side by side in their colours. */
function percentileDots(values: PercentilePoint[], groups: { title: string; domain: string[]; range: string[] }, xTitle: string): TopLevelSpec {
  const { title, ...colours } = groups;
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    width: 560,
    data: { values: values.map((v) => ({ ...v, ms: Math.max(1, v.ms) })) },
    mark: { type: "point", filled: true, size: 60 },
    encoding: {
      y: { field: "row", type: "nominal", sort: null, title: null },
      yOffset: { field: "group" },
      x: { field: "ms", type: "quantitative", scale: { type: "log" }, axis: { values: MS_TICKS }, title: xTitle },
      color: { field: "group", type: "nominal", scale: colours, title },
      shape: { field: "percentile", type: "nominal", scale: { domain: ["p50", "p90", "p99"], range: ["circle", "square", "triangle-up"] } },
    },
  };
}

/** p50, p90 and p99 checkout latency of every cell, each design side by side, log scale. */
export function percentileChart(cells: CellRecord[]): TopLevelSpec {
  const values = checkoutCells(cells).flatMap((c) =>
    (["p50", "p90", "p99"] as const).map((percentile) => ({ row: c.cell, group: c.design, percentile, ms: c[`${percentile}Ms`] })),
  );
  return percentileDots(values, { title: "design", ...designScale(cells) }, "checkout latency (ms)");
}

/** The contention matrix as a seats × users heat map of confirmed/s, one panel per design. */
export function heatMapChart(cells: CellRecord[]): TopLevelSpec | null {
  const values = cells
    .filter((c) => c.workload === "matrix" && c.gateway === "fast")
    .map((c) => ({ design: c.design, users: c.users, seats: c.seats, confirmedPerS: c.confirmedPerS }));
  if (values.length === 0) return null;
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    data: { values },
    facet: { column: { field: "design", type: "nominal", title: null } },
    spec: {
      width: 180,
      height: 140,
      encoding: {
        x: { field: "users", type: "ordinal", title: "virtual users" },
        y: { field: "seats", type: "ordinal", title: "seats", sort: "descending" },
      },
      layer: [
        { mark: "rect", encoding: { color: { field: "confirmedPerS", type: "quantitative", title: "confirmed/s", scale: { scheme: "blues" } } } },
        { mark: { type: "text", fontSize: 11 }, encoding: { text: { field: "confirmedPerS", type: "quantitative" } } },
      ],
    },
  };
}

/** Local against remote: p50, p90 and p99 of each latency workload, both sides on one chart, log scale. */
export function compareChart(comparison: Comparison): TopLevelSpec {
  const values = [comparison.local, comparison.remote].flatMap((side) =>
    Object.entries(side.stats).flatMap(([w, stats]) =>
      (["p50", "p90", "p99"] as const).map((percentile) => ({ row: w, group: side.label, percentile, ms: stats[percentile] })),
    ),
  );
  return percentileDots(values, { title: "side", domain: ["local", "remote"], range: ["#2f6fbf", "#d9822b"] }, "latency (ms)");
}
