import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import type { CheckResult, Verdict } from "../harness/checkers/checker.js";
import { NexusError } from "../harness/errors.js";
import type { LedgerEntry } from "../harness/gateway/ledger.js";
import { parseHistory, type Op } from "../harness/history.js";
import type { Comparison } from "../benchmarks/compare.js";
import type { CellResult } from "../benchmarks/run-cell.js";
import type { GateSpec } from "../scenarios/gate.js";

/** One stored gate run, as its folder holds it. */
export interface StoredGate {
  /** The folder's name inside the run (links are relative to the run). */
  folder: string;
  spec: GateSpec;
  valid: Verdict;
  results: CheckResult[];
  history: Op[];
  ledger: LedgerEntry[];
  /** Files of the folder worth linking (logs, history, results), relative to the run. */
  files: string[];
}

/** A stored benchmark (bench.json) and where it sits inside the run. */
export interface StoredBench {
  folder: string;
  size: string;
  versions: Record<string, string>;
  cores: number;
  cells: CellResult[];
  comparisons: Array<{ design: string; cell: string; confirmedPerS: number | null; p50: number | null; p99: number | null }>;
  goals: Record<string, { value: number | null; target: string; met: boolean | null }>;
  /** k6 dashboard exports, relative to the run. */
  dashboards: string[];
}

/** A stored `nexus compare` (compare.json). */
export interface StoredCompare extends Comparison {
  workerUrl: string;
  size: Record<string, number>;
  /** The local stack's versions, and the remote Restate's. */
  versions: { local: Record<string, string>; remote: string };
}

/** Everything a report shows of one run folder of `nexus run` or `nexus bench`. */
export interface StoredRun {
  dir: string;
  name: string;
  seed: number | null;
  durationMs: number | null;
  gates: StoredGate[];
  bench: StoredBench | null;
  compare: StoredCompare | null;
  /** Gates the target could not run, and why. */
  skipped: Array<{ gate: string; reason: string }>;
  /** The machine's cores, when the run recorded them. */
  cores: number | null;
  /** Why the benchmark is absent from a `nexus run`, when it said so. */
  benchSkipped: string | null;
}

const readJson = <T>(path: string): T => JSON.parse(readFileSync(path, "utf8")) as T;

function loadGate(runDir: string, folder: string): StoredGate {
  const dir = join(runDir, folder);
  const spec = readJson<GateSpec>(join(dir, "spec.json"));
  const { valid, results } = readJson<{ valid: Verdict; results: CheckResult[] }>(join(dir, "results.json"));
  const ledgerPath = join(dir, "gateway-ledger.jsonl");
  const ledger = existsSync(ledgerPath)
    ? readFileSync(ledgerPath, "utf8").split("\n").filter((l) => l.trim() !== "").map((l) => JSON.parse(l) as LedgerEntry)
    : [];
  const files = readdirSync(dir)
    .filter((f) => /\.(log|jsonl|json)$/.test(f))
    .sort()
    .map((f) => `${folder}/${f}`);
  return { folder, spec, valid, results, history: parseHistory(readFileSync(join(dir, "history.jsonl"), "utf8")), ledger, files };
}

function loadBench(runDir: string, folder: string): StoredBench {
  const dir = join(runDir, folder);
  const bench = readJson<Omit<StoredBench, "folder" | "dashboards">>(join(dir, "bench.json"));
  const dashboards = readdirSync(dir)
    .filter((f) => f.endsWith("-dashboard.html"))
    .sort((a, b) => a.localeCompare(b, "en", { numeric: true }))
    .map((f) => (folder === "." ? f : `${folder}/${f}`));
  return { ...bench, folder, dashboards };
}

/**
 * Reads a stored run: the gate folders (each with spec.json and results.json) and a bench.json at the top or in
 * `bench/`. Throws with the folder's name when it holds neither.
 */
export function loadRun(dir: string): StoredRun {
  const entries = readdirSync(dir).filter((f) => statSync(join(dir, f)).isDirectory());
  const gates = entries.filter((f) => existsSync(join(dir, f, "spec.json")) && existsSync(join(dir, f, "results.json"))).map((f) => loadGate(dir, f));
  const benchFolder = existsSync(join(dir, "bench.json")) ? "." : existsSync(join(dir, "bench", "bench.json")) ? "bench" : null;
  const bench = benchFolder === null ? null : loadBench(dir, benchFolder);
  const comparePath = join(dir, "compare.json");
  const compare = existsSync(comparePath) ? readJson<StoredCompare>(comparePath) : null;
  const summaryPath = join(dir, "summary.json");
  if (gates.length === 0 && bench === null && compare === null && !existsSync(summaryPath)) {
    throw new NexusError("usage", `${dir} holds no gate results, bench.json or compare.json: is it a folder of nexus run, bench or compare?`);
  }
  const summary = existsSync(summaryPath)
    ? readJson<{ seed?: number; durationMs?: number; cores?: number; gates?: Array<{ gate: string }>; benchSkipped?: string; skipped?: Array<{ gate: string; reason: string }> }>(summaryPath)
    : {};
  const order = summary.gates?.map((g) => g.gate) ?? [];
  gates.sort((a, b) => (order.indexOf(a.spec.gate) - order.indexOf(b.spec.gate)) || a.folder.localeCompare(b.folder));
  return {
    dir,
    name: dir.split("/").filter(Boolean).pop() ?? dir,
    seed: summary.seed ?? gates[0]?.spec.seed ?? null,
    durationMs: summary.durationMs ?? null,
    gates,
    bench,
    compare,
    skipped: summary.skipped ?? [],
    cores: summary.cores ?? null,
    benchSkipped: summary.benchSkipped ?? null,
  };
}
