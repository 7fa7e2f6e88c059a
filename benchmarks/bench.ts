import { cpus } from "node:os";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { clearObjectState, registerDeployment } from "../harness/restate/admin.js";
import { NexusError } from "../harness/system/errors.js";
import { linkLatest, newRunDir } from "../harness/store/run-dirs.js";
import { newSeed } from "../harness/system/random.js";
import { startStack } from "../harness/stack/stack.js";
import { versions } from "../harness/restate/versions.js";
import type { WorkerDescription } from "../harness/worker/worker-description.js";
import { bundleOf, type PreparedWorker, type WorkerUnderTest } from "../harness/worker/worker-under-test.js";
import { buildVariant } from "../harness/worker/variant.js";
import { startWorker, type StartedWorker } from "../harness/worker/worker-process.js";
import { cellLabel, type BenchRecord, type DesignComparison } from "../harness/store/records.js";
import { writeBench } from "../harness/store/run-store.js";
import { BASELINE_EDITS } from "./baseline.js";
import { usdPer1000Confirmed, WORKERS_STANDARD_PRICES, type WorkersPrices } from "./cost.js";
import { interleavedCells, type Cell } from "./config.js";
import { ensureLocust, locustVersion } from "./locust.js";
import { profiledWorker, type ProfiledWorker } from "./profile.js";
import { runCell, type CellResult } from "./run-cell.js";

/** Options of a benchmark run. */
export interface BenchOptions {
  size: "smoke" | "quick" | "full";
  designs: Array<Cell["design"]>;
  dashboard: boolean;
  /** Split every measured cell across this many Locust worker processes under one master (default 1: one process). */
  instances?: number;
  /** Keep only the cells whose label contains this text (e.g. "matrix u50 s1000 fast"). */
  only?: string;
  /** Seeds the workloads' random draws (seats, payment methods); the same seed draws the same for every design. */
  seed?: number;
  /** Write into this folder (e.g. `<run>/bench` of `nexus run`) instead of a new `reports/out/bench-…`, and leave `latest` alone. */
  dir?: string;
  /** The Worker whose designs are measured: bundled already, or to bundle into the run folder. */
  worker: PreparedWorker | WorkerUnderTest;
  /** How the baseline's seats are read: the baseline is the reference Worker's seed flow, so the reference Worker's description. */
  baseline: WorkerDescription;
  /** The Cloudflare Workers prices each cell's cost of 1,000 confirmed bookings uses (default: WORKERS_STANDARD_PRICES). */
  prices?: WorkersPrices;
  /** Record a CPU profile of the Worker in every measured cell (its inspector open: a diagnosis, not a headline figure). */
  profile?: boolean;
  /** Restate server settings (environment variables) on top of its defaults, to measure what one changes. */
  restateEnv?: Record<string, string>;
  /** What the benchmark tells its caller as it goes (as the gate runner does): a line of progress, a cell measured. */
  onEvent?: (event: BenchEvent) => void;
}

/** An event of a benchmark run: a line of progress, or a cell measured (its index among the run's cells, and its result). */
export type BenchEvent = { kind: "log"; message: string } | { kind: "finished"; index: number; total: number; label: string; result: PricedCell };

/** A measured cell with what 1,000 of its confirmed bookings cost on Cloudflare Workers (USD). */
export type PricedCell = CellResult & { usdPer1000Confirmed: number | null };

/** The run's closing lines: each design against the baseline on the same workload, and each goal. */
export function describeComparisons(bench: Pick<BenchRecord, "comparisons" | "goals">): string[] {
  return [
    ...bench.comparisons.map((c) => `  ${c.design}/baseline ${c.cell}: confirmed/s ×${c.confirmedPerS}, p50 ×${c.p50}, p99 ×${c.p99}`),
    ...Object.entries(bench.goals).map(
      ([name, g]) => `  goal ${name}: ${g.value ?? "n/a"} (target ${g.target}) ${g.met === null ? "not measured" : g.met ? "met" : "NOT met"}`,
    ),
  ];
}

/** The Restate settings a run changed, as its first line says them ("" for the defaults). */
function settingsNote(restateEnv: Record<string, string> | undefined): string {
  const pairs = Object.entries(restateEnv ?? {}).map(([key, value]) => `${key}=${value}`);
  return pairs.length === 0 ? "" : `, Restate settings ${pairs.join(" ")} (not its defaults)`;
}

/** The seed of a cell's draws: the run's seed and the cell's workload, the same for every design. */
function seedOf(seed: number, cell: Cell): number {
  let hash = seed;
  for (const ch of cellLabel(cell)) hash = (Math.imul(hash, 31) + ch.charCodeAt(0)) >>> 0;
  return hash % 1_000_000;
}

const ratio = (a: number, b: number) => (b > 0 ? Math.round((a / b) * 100) / 100 : null);

/** Pairs each cell of our designs with the baseline cell of the same workload. */
export function compareDesigns(results: CellResult[]): DesignComparison[] {
  const baseline = new Map(results.filter((r) => r.design === "baseline").map((r) => [cellLabel(r), r]));
  return results
    .filter((r) => r.design !== "baseline" && baseline.has(cellLabel(r)) && r.workload !== "trivial")
    .map((cell) => {
      const base = baseline.get(cellLabel(cell))!;
      return {
        design: cell.design,
        cell: cellLabel(cell),
        confirmedPerS: ratio(cell.confirmedPerS, base.confirmedPerS),
        p50: ratio(cell.p50Ms, base.p50Ms),
        p99: ratio(cell.p99Ms, base.p99Ms),
      };
    });
}

type Goal = { value: number | null; target: string; met: boolean | null };

/**
 * The benchmark's goals, judged per design of the run at 50 users over 1000 seats (fast gateway): ≥ 4× the baseline's
 * confirmed/s, ≤ 5 Worker requests per confirmed checkout, p99 of confirmed checkouts ≤ 1 s; and ≥ half the per-call
 * ceiling (trivial calls/s ÷ Worker requests per checkout).
 */
export function goals(results: CellResult[]): Record<string, Goal> {
  const find = (design: string) =>
    results.find((r) => r.design === design && r.workload === "matrix" && r.users === 50 && r.seats === 1000 && r.gateway === "fast");
  const base = find("baseline");
  const out: Record<string, Goal> = {};
  for (const design of [...new Set(results.map((r) => r.design))].filter((d) => d !== "baseline")) {
    const cell = find(design);
    if (!cell) continue;
    const trivial = results.find((r) => r.design === design && r.workload === "trivial");
    const speedup = base ? ratio(cell.confirmedPerS, base.confirmedPerS) : null;
    const perCheckout = cell.workerRequestsPerConfirmed;
    const ceiling = trivial && perCheckout ? trivial.confirmedPerS / perCheckout : null;
    out[`${design} speedupOverBaseline`] = { value: speedup, target: ">= 4", met: speedup === null ? null : speedup >= 4 };
    out[`${design} workerRequestsPerConfirmed`] = { value: perCheckout, target: "<= 5", met: perCheckout === null ? null : perCheckout <= 5 };
    out[`${design} p99ConfirmedMs`] = { value: cell.p99ConfirmedMs, target: "<= 1000 (confirmed checkouts only)", met: cell.p99ConfirmedMs <= 1000 };
    out[`${design} shareOfCallCeiling`] = {
      value: ceiling ? Math.round((cell.confirmedPerS / ceiling) * 100) / 100 : null,
      target: ">= 0.5 of trivial calls/s ÷ Worker requests per checkout",
      met: ceiling ? cell.confirmedPerS >= ceiling / 2 : null,
    };
  }
  return out;
}

/** One measured cell as a line: design, cell, throughput, latencies, answers, Worker requests, CPU-ms and cost per booking, audit and CPU shares. */
export function describeCell(r: PricedCell): string {
  // The load generator's share always shows, however small: it must stay out of the measurement's way.
  const cpu = Object.entries(r.cpu)
    .filter(([k, v]) => v >= 0.05 || k === "locust")
    .map(([k, v]) => `${k} ${v}`)
    .join(", ");
  return [
    r.design.padEnd(10),
    cellLabel(r).padEnd(32),
    `${r.confirmedPerS}/s`.padStart(9),
    `ok p50/p99 ${r.p50ConfirmedMs}/${r.p99ConfirmedMs}`.padEnd(20),
    `409 p50/p99 ${r.p50RefusedMs}/${r.p99RefusedMs}`.padEnd(21),
    `409:${r.conflicts} 402:${r.declines} err:${r.errors}`.padEnd(22),
    `wreq/c ${r.workerRequestsPerConfirmed ?? "-"}`.padEnd(12),
    `cpu-ms/c ${r.workerCpuMsPerConfirmed ?? "-"}`.padEnd(14),
    `$/1k ${r.usdPer1000Confirmed ?? "-"}`.padEnd(14),
    r.valid ? "audit ok" : `INVALID ${r.audit.problems[0] ?? `dropped ${r.droppedIterations}`}`,
    cpu ? `[cpu ${cpu}]` : "",
  ].join(" ");
}

/** A profiled cell's lines: CPU-ms per Worker request by program, the isolate's time by part, its busiest functions. */
export function describeProfile(r: PricedCell): string[] {
  if (r.profile === undefined) return [];
  const { file, workerRequests, cpuMsPerWorkerRequest, isolate } = r.profile;
  const share = (ms: number) => `${Math.round((ms / Math.max(isolate.busyMs, 0.001)) * 100)}%`;
  const perProgram = Object.entries(cpuMsPerWorkerRequest)
    .filter(([, ms]) => ms > 0)
    .map(([program, ms]) => `${program} ${ms}`)
    .join(", ");
  return [
    `    profile ${file}, ${workerRequests} Worker requests; CPU-ms per Worker request: ${perProgram}`,
    `    the isolate's busy ${isolate.busyMs} ms by part: ${isolate.parts.map((p) => `${p.part} ${share(p.ms)}`).join(", ")}`,
    `    its busiest functions: ${isolate.topFunctions
      .slice(0, 6)
      .map((f) => `${f.name} (${f.part}) ${share(f.selfMs)}`)
      .join(", ")}`,
    ...isolate.steps.map((s) => `    ${s.step}, with what it calls: ${s.ms} ms, ${share(s.ms)} of the isolate's busy time`),
  ];
}

/** The bindings that make the Worker serve `design`: its BOOKING_DESIGN, the saga in bidirectional mode, or the baseline's saga. */
function bindingsOf(design: Cell["design"]): Record<string, string> {
  if (design === "saga-bidi") return { BOOKING_DESIGN: "saga", RESTATE_BIDIRECTIONAL: "true" };
  if (design === "baseline") return { BOOKING_DESIGN: "saga" };
  return { BOOKING_DESIGN: design };
}

/**
 * Runs the benchmark: one stack, a Worker per design (the Worker under test serving each of its booking designs, and
 * the baseline built from the same sources), re-registered in turn so their cells interleave; every cell audited.
 * Writes bench.json and returns its path and record, the cells whose audit failed, and those whose audit held but
 * whose figures cannot be trusted (iterations dropped). Progress reaches the caller as events.
 */
export async function runBench(options: BenchOptions): Promise<{ path: string; bench: BenchRecord; unmeasured: number; auditFailed: number }> {
  const emit = options.onEvent ?? (() => undefined);
  const log = (message: string) => emit({ kind: "log", message });
  const chosen = options.worker;
  const description = chosen.description;
  // The trivial cell (and the warm-up) call Ticket/get, the demo API's read: a Worker without it measures checkouts only.
  const reads = (design: Cell["design"]) => design === "baseline" || description.capabilities.demoApi;
  const cells = interleavedCells(options.size, options.designs, options.only).filter((c) => c.workload !== "trivial" || reads(c.design));
  if (cells.length === 0) throw new NexusError("usage", `no ${options.size} cell matches --only "${options.only}"`);
  const locust = await ensureLocust(log);
  const runDir = options.dir ?? newRunDir("bench");
  await mkdir(join(runDir, "warm-up"), { recursive: true });
  const seed = options.seed ?? newSeed();
  const instances = options.instances ?? 1;
  const warmed = new Set<Cell["design"]>();
  log(
    `nexus bench: ${options.size}, designs ${options.designs.join(", ")}, seed ${seed}${instances > 1 ? `, ${instances} Locust workers per cell` : ""}${settingsNote(options.restateEnv)}; output in ${runDir}`,
  );
  if (!description.capabilities.demoApi) log(`  the Worker ${description.name} has no demo API (Ticket/get): its trivial cell is left out, its warm-up books`);
  const underTest = "bundle" in chosen ? chosen.bundle : await bundleOf(chosen, join(runDir, "bundle-under-test"));
  // Every design alike: holds that outlast every cell, and a charge timeout above the slow gateway's latency.
  const stack = await startStack({
    runDir,
    worker: { ...chosen, bundle: underTest },
    workerEnv: { HOLD_TTL_MS: "600000", PAYMENT_TIMEOUT_MS: "15000" },
    restateEnv: options.restateEnv,
  });
  const workers: Partial<Record<Cell["design"], StartedWorker>> = {};
  const profiled: Partial<Record<Cell["design"], ProfiledWorker>> = {};
  const results: PricedCell[] = [];
  const prices = options.prices ?? WORKERS_STANDARD_PRICES;
  try {
    for (const design of options.designs) {
      const bundle = design === "baseline" ? await buildVariant("baseline", BASELINE_EDITS) : underTest;
      const bindings = { ...stack.workerEnv, ...bindingsOf(design) };
      const worker = await startWorker({ bundle, workDir: join(runDir, design), bindings, inspect: options.profile });
      workers[design] = worker;
      if (worker.inspectorPort !== undefined) profiled[design] = await profiledWorker(worker.inspectorPort, bundle);
    }
    // Every design serves the same service names, so the one a cell measures is registered before it runs.
    let registered: { design: Cell["design"]; deploymentId: string } | undefined;
    for (const [i, cell] of cells.entries()) {
      if (registered?.design !== cell.design) {
        const { id } = await registerDeployment(stack.restate.adminUrl, workers[cell.design]!.url);
        registered = { design: cell.design, deploymentId: id };
      }
      // The baseline is the reference Worker's seed flow, so its seats are read the reference's way.
      const target = {
        restate: stack.restate,
        gateway: stack.gateway,
        description: cell.design === "baseline" ? options.baseline : description,
        deploymentId: registered.deploymentId,
      };
      if (!warmed.has(cell.design)) {
        // The first seconds of a fresh Worker and server run slower (JIT, connections): not measured.
        await runCell(
          locust,
          target,
          { ...cell, workload: reads(cell.design) ? "trivial" : "matrix", users: 20, seats: 100, durationS: 3 },
          join(runDir, "warm-up"),
          warmed.size,
          seed,
        );
        warmed.add(cell.design);
      }
      // Every cell starts from a fresh event's seat map: the one SeatMap object would otherwise carry every earlier
      // cell's seats, and each update of it (in the baseline, three awaited ones per booking) reads all of them.
      if (description.capabilities.seatMapView) await clearObjectState(stack.restate.adminUrl, "SeatMap", "global");
      const measured = await runCell(locust, { ...target, profile: profiled[cell.design] }, cell, runDir, i, seedOf(seed, cell), options.dashboard, instances);
      const result: PricedCell = { ...measured, usdPer1000Confirmed: usdPer1000Confirmed(measured, prices) };
      results.push(result);
      emit({ kind: "finished", index: i, total: cells.length, label: `${cell.design} ${cellLabel(cell)}`, result });
    }
  } finally {
    for (const worker of Object.values(workers)) await worker.stop();
    await stack.stop();
  }
  const comparisons = compareDesigns(results);
  const report = {
    size: options.size,
    seed,
    versions: { ...versions(stack.restate.version), locust: await locustVersion(locust) },
    cores: cpus().length,
    ...(instances > 1 ? { instances } : {}),
    cells: results,
    comparisons,
    goals: goals(results),
    prices,
    ...(options.restateEnv === undefined || Object.keys(options.restateEnv).length === 0 ? {} : { restateEnv: options.restateEnv }),
  };
  const path = await writeBench(runDir, report);
  if (options.dir === undefined) await linkLatest(runDir);
  const auditFailed = results.filter((r) => !r.audit.valid).length;
  return { path, bench: report, auditFailed, unmeasured: results.filter((r) => r.audit.valid && !r.valid).length };
}
