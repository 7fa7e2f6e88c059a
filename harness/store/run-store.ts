import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { CheckResult, Verdict } from "../checkers/checker.js";
import { NexusError } from "../system/errors.js";
import type { FinalState } from "../history/final-state.js";
import type { LedgerEntry } from "../gateway/ledger.js";
import { parseHistory, type Op } from "../history/history.js";
import type {
  BenchRecord,
  CompareRecord,
  DeployCheckRecord,
  GateResults,
  GateSpec,
  MutantRecord,
  RunSummary,
  SkippedChecker,
  UpgradeCheckRecord,
} from "./records.js";

/** Every file a run folder holds, by what it is: nothing else names them. */
const FILES = {
  spec: "spec.json",
  history: "history.jsonl",
  finalState: "final-state.json",
  results: "results.json",
  ledger: "gateway-ledger.jsonl",
  summary: "summary.json",
  bench: "bench.json",
  benchFolder: "bench",
  compare: "compare.json",
  mutants: "mutants.json",
  deployCheck: "deploy-check.json",
  upgradeCheck: "upgrade-check.json",
  junit: "junit.xml",
  report: "index.html",
} as const;

const json = (value: unknown) => JSON.stringify(value, null, 2);
const readJson = <T>(path: string): T => JSON.parse(readFileSync(path, "utf8")) as T;
const jsonl = (rows: unknown[]) => `${rows.map((row) => JSON.stringify(row)).join("\n")}\n`;
const parseJsonl = <T>(text: string): T[] =>
  text
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as T);

/** Writes a gate run's spec.json before its workload starts (a run cut short still says what it was). */
export async function writeGateSpec(dir: string, spec: GateSpec): Promise<void> {
  await writeFile(join(dir, FILES.spec), json(spec));
}

/** Writes what a gate run recorded and how it was judged: history, final state, results and the gateway ledger. */
export async function writeGateRun(dir: string, run: { history: Op[]; finalState: FinalState; results: GateResults; ledger: LedgerEntry[] }): Promise<void> {
  await writeFile(join(dir, FILES.history), jsonl(run.history));
  await writeFile(join(dir, FILES.finalState), json(run.finalState));
  await writeFile(join(dir, FILES.results), json(run.results));
  await writeFile(join(dir, FILES.ledger), jsonl(run.ledger));
}

/** Writes a `nexus run`'s summary.json. */
export async function writeSummary(runDir: string, summary: RunSummary): Promise<void> {
  await writeFile(join(runDir, FILES.summary), json(summary));
}

/** Writes bench.json into `dir` and returns its path. */
export async function writeBench(dir: string, bench: BenchRecord): Promise<string> {
  const path = join(dir, FILES.bench);
  await writeFile(path, json(bench));
  return path;
}

/** Writes compare.json into `runDir` and returns its path. */
export async function writeCompare(runDir: string, compare: CompareRecord): Promise<string> {
  const path = join(runDir, FILES.compare);
  await writeFile(path, json(compare));
  return path;
}

/** Writes deploy-check.json into `runDir` and returns its path. */
export async function writeDeployCheck(runDir: string, record: DeployCheckRecord): Promise<string> {
  const path = join(runDir, FILES.deployCheck);
  await writeFile(path, json(record));
  return path;
}

/** Writes upgrade-check.json into `runDir` and returns its path. */
export async function writeUpgradeCheck(runDir: string, record: UpgradeCheckRecord): Promise<string> {
  const path = join(runDir, FILES.upgradeCheck);
  await writeFile(path, json(record));
  return path;
}

/** Writes mutants.json into `dir`. */
export async function writeMutants(dir: string, mutants: MutantRecord[]): Promise<void> {
  await writeFile(join(dir, FILES.mutants), json(mutants));
}

/** Writes a run's junit.xml and returns its path. */
export async function writeJunit(runDir: string, xml: string): Promise<string> {
  const path = join(runDir, FILES.junit);
  await writeFile(path, xml);
  return path;
}

/** Where a run's HTML report lies. */
export function reportFileOf(runDir: string): string {
  return join(runDir, FILES.report);
}

/** Writes a run's HTML report (index.html) and returns its path. */
export async function writeReportHtml(runDir: string, html: string): Promise<string> {
  const path = reportFileOf(runDir);
  await writeFile(path, html);
  return path;
}

/** Where a benchmark inside a `nexus run` folder writes (`<run>/bench`). */
export function benchFolderOf(runDir: string): string {
  return join(runDir, FILES.benchFolder);
}

/** Where a gate run's checker results lie, relative to the run (for messages and reports). */
export function resultsFileOf(gateFolder: string): string {
  return `${gateFolder}/${FILES.results}`;
}

/** A stored gate run, as `nexus check` re-judges it: spec, history and final state. */
export interface RecordedGate {
  dir: string;
  spec: GateSpec;
  history: Op[];
  finalState: FinalState;
}

/** The gate folders under `dir`: `dir` itself when it holds a spec.json, else its sub-folders (any depth) that do. */
export function gateFoldersUnder(dir: string): string[] {
  if (existsSync(join(dir, FILES.spec))) return [dir];
  if (!existsSync(dir)) throw new NexusError("usage", `${dir} does not exist: give a run folder under reports/out/`);
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .flatMap((entry) => gateFoldersUnder(join(dir, entry.name)));
}

/** Reads what a gate run recorded (for re-judging); a missing file is a usage error that says the run did not finish. */
export function readRecordedGate(dir: string): RecordedGate {
  const read = (name: string) => {
    const path = join(dir, name);
    if (!existsSync(path)) throw new NexusError("usage", `${path} is missing: this run did not finish storing its results`);
    return readFileSync(path, "utf8");
  };
  return {
    dir,
    spec: JSON.parse(read(FILES.spec)) as GateSpec,
    history: parseHistory(read(FILES.history)),
    finalState: JSON.parse(read(FILES.finalState)) as FinalState,
  };
}

/** One stored gate run, as a report shows it. */
export interface StoredGate {
  /** The folder's name inside the run (links are relative to the run). */
  folder: string;
  spec: GateSpec;
  valid: Verdict;
  results: CheckResult[];
  skippedCheckers: SkippedChecker[];
  history: Op[];
  ledger: LedgerEntry[];
  /** Files of the folder worth linking (logs, history, results), relative to the run. */
  files: string[];
}

/** A stored benchmark and where it sits inside the run. */
export interface StoredBench extends BenchRecord {
  folder: string;
  /** bench.json's path, relative to the run. */
  file: string;
  /** Locust's own HTML reports of the cells (`nexus bench --dashboard`), relative to the run. */
  dashboards: string[];
}

/** Everything a report shows of one run folder of `nexus run`, `nexus bench` or `nexus compare`. */
export interface StoredRun {
  dir: string;
  name: string;
  seed: number | null;
  durationMs: number | null;
  gates: StoredGate[];
  bench: StoredBench | null;
  compare: CompareRecord | null;
  /** The run's summary.json, when it is a `nexus run`. */
  summary: RunSummary | null;
  /** Gates the target or Worker could not run, and why. */
  skipped: Array<{ gate: string; reason: string }>;
  /** The machine's cores, when the run recorded them. */
  cores: number | null;
}

function loadGate(runDir: string, folder: string): StoredGate {
  const dir = join(runDir, folder);
  const spec = readJson<GateSpec>(join(dir, FILES.spec));
  const { valid, results, skippedCheckers } = readJson<GateResults>(join(dir, FILES.results));
  const ledgerPath = join(dir, FILES.ledger);
  const ledger = existsSync(ledgerPath) ? parseJsonl<LedgerEntry>(readFileSync(ledgerPath, "utf8")) : [];
  const files = readdirSync(dir)
    .filter((f) => /\.(log|jsonl|json)$/.test(f))
    .sort()
    .map((f) => `${folder}/${f}`);
  const history = parseHistory(readFileSync(join(dir, FILES.history), "utf8"));
  return { folder, spec, valid, results, skippedCheckers: skippedCheckers ?? [], history, ledger, files };
}

function loadBench(runDir: string, folder: string): StoredBench {
  const dir = join(runDir, folder);
  const bench = readJson<BenchRecord>(join(dir, FILES.bench));
  const dashboards = readdirSync(dir)
    .filter((f) => f.endsWith("-dashboard.html"))
    .sort((a, b) => a.localeCompare(b, "en", { numeric: true }))
    .map((f) => (folder === "." ? f : `${folder}/${f}`));
  return { ...bench, folder, file: folder === "." ? FILES.bench : `${folder}/${FILES.bench}`, dashboards };
}

/**
 * Reads a stored run: the gate folders (each with spec.json and results.json), a bench.json at the top or in
 * `bench/`, compare.json and summary.json. Throws with the folder's name when it holds none of them.
 */
export function readRun(dir: string): StoredRun {
  if (!existsSync(dir)) throw new NexusError("usage", `${dir} does not exist: give a run folder under reports/out/`);
  const entries = readdirSync(dir).filter((f) => statSync(join(dir, f)).isDirectory());
  const gates = entries.filter((f) => existsSync(join(dir, f, FILES.spec)) && existsSync(join(dir, f, FILES.results))).map((f) => loadGate(dir, f));
  const benchFolder = existsSync(join(dir, FILES.bench)) ? "." : existsSync(join(dir, FILES.benchFolder, FILES.bench)) ? FILES.benchFolder : null;
  const bench = benchFolder === null ? null : loadBench(dir, benchFolder);
  const comparePath = join(dir, FILES.compare);
  const compare = existsSync(comparePath) ? readJson<CompareRecord>(comparePath) : null;
  const summaryPath = join(dir, FILES.summary);
  const summary = existsSync(summaryPath) ? readJson<RunSummary>(summaryPath) : null;
  if (gates.length === 0 && bench === null && compare === null && summary === null) {
    throw new NexusError("usage", `${dir} holds no gate results, bench.json or compare.json: is it a folder of nexus run, bench or compare?`);
  }
  const order = summary?.gates.map((g) => g.gate) ?? [];
  gates.sort((a, b) => order.indexOf(a.spec.gate) - order.indexOf(b.spec.gate) || a.folder.localeCompare(b.folder));
  return {
    dir,
    name: dir.split("/").filter(Boolean).pop() ?? dir,
    seed: summary?.seed ?? gates[0]?.spec.seed ?? null,
    durationMs: summary?.durationMs ?? null,
    gates,
    bench,
    compare,
    summary,
    skipped: summary?.skipped ?? [],
    cores: summary?.cores ?? null,
  };
}
