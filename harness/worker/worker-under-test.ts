import { existsSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { NexusError } from "../system/errors.js";
import { installedAsPackage, projectRoot } from "../system/paths.js";
import { bundleWorker, type WorkerBundle } from "./bundle.js";
import { readWorkerConfig, wranglerConfigIn, WRANGLER_CONFIG_FILES, type WorkerConfig } from "./worker-config.js";
import type { WorkerDescription } from "./worker-description.js";

/**
 * Where the Worker under test comes from: a Worker project to bundle with wrangler, or a bundle made elsewhere; each
 * with the wrangler config (and environment) it deploys with.
 */
export type WorkerSource = { kind: "project" | "bundle"; dir: string; configPath: string; env?: string };

/** The Worker the gates judge: its source, its deploy settings, and what the gates need to know of it. */
export interface WorkerUnderTest {
  source: WorkerSource;
  /** Read from its wrangler config and checked when the Worker is resolved, before a run makes anything. */
  config: WorkerConfig;
  description: WorkerDescription;
  /** Where the description was read from (shown in logs and stored with each run). */
  descriptionPath: string;
}

/** How a run names its Worker: `--worker DIR`, else NEXUS_WORKER, else NEXUS_WORKER_BUNDLE, else the reference Worker. */
export interface WorkerChoice {
  /** A Worker project folder (with its wrangler config and nexus-worker.ts). */
  dir?: string;
  /** The wrangler environment to run it as (`--wrangler-env`, else NEXUS_WRANGLER_ENV); default the config's top level. */
  wranglerEnv?: string;
}

const DESCRIPTION_FILES = ["nexus-worker.ts", "nexus-worker.mjs", "nexus-worker.js"];

function descriptionIn(dir: string): string | undefined {
  return DESCRIPTION_FILES.map((f) => join(dir, f)).find((path) => existsSync(path));
}

function isDescription(value: unknown): value is WorkerDescription {
  const d = value as Partial<WorkerDescription> | undefined;
  return typeof d === "object" && d !== null && typeof d.name === "string" && typeof d.readSeats === "function" && typeof d.capabilities === "object";
}

/** Loads a description module (its default export), or says what is wrong with it. */
export async function loadDescription(path: string): Promise<WorkerDescription> {
  if (!existsSync(path)) throw new NexusError("usage", `no Worker description at ${path}: write a nexus-worker.ts (see harness/worker/worker-description.ts)`);
  const module = (await import(pathToFileURL(resolve(path)).href)) as { default?: unknown };
  if (!isDescription(module.default)) {
    throw new NexusError("usage", `${path} must export default a WorkerDescription {name, readSeats, capabilities} (harness/worker/worker-description.ts)`);
  }
  return module.default;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : value;
}

/**
 * The wrangler config a prebuilt bundle deploys with: NEXUS_WORKER_CONFIG, else one in the bundle's folder, else the
 * reference Worker's wrangler.toml, which the log says.
 */
function bundleConfig(dir: string, log: (line: string) => void): string {
  const named = nonEmpty(process.env.NEXUS_WORKER_CONFIG);
  if (named !== undefined) {
    if (!existsSync(named)) throw new NexusError("usage", `NEXUS_WORKER_CONFIG=${named} does not exist: name the bundle's wrangler config`);
    return resolve(named);
  }
  const beside = wranglerConfigIn(dir);
  if (beside !== undefined) return beside;
  log(`the bundle in ${dir} has no wrangler config: running it with the reference Worker's wrangler.toml (set NEXUS_WORKER_CONFIG)`);
  return join(projectRoot, "wrangler.toml");
}

/** The source `choice` and the environment name (see WorkerChoice), checked to exist. */
function sourceOf(choice: WorkerChoice, log: (line: string) => void): WorkerSource {
  const env = choice.wranglerEnv ?? nonEmpty(process.env.NEXUS_WRANGLER_ENV);
  const projectDir = nonEmpty(choice.dir ?? process.env.NEXUS_WORKER);
  if (projectDir !== undefined) {
    const dir = resolve(projectDir);
    const configPath = wranglerConfigIn(dir);
    if (configPath === undefined) {
      throw new NexusError("usage", `${dir} has no ${WRANGLER_CONFIG_FILES.join(", ")}: --worker (NEXUS_WORKER) names a Worker project folder`);
    }
    return { kind: "project", dir, configPath, env };
  }
  const bundleDir = nonEmpty(process.env.NEXUS_WORKER_BUNDLE);
  if (bundleDir !== undefined) {
    const dir = resolve(bundleDir);
    if (!existsSync(join(dir, "index.js")))
      throw new NexusError("usage", `NEXUS_WORKER_BUNDLE=${bundleDir} holds no index.js: give a folder wrangler bundled a Worker into`);
    return { kind: "bundle", dir, configPath: bundleConfig(dir, log), env };
  }
  return { kind: "project", dir: projectRoot, configPath: join(projectRoot, "wrangler.toml"), env };
}

/**
 * The Worker under test, its wrangler config read and checked (a NexusError says what nexus cannot run), and its
 * description: NEXUS_WORKER_DESCRIPTION when set, else the nexus-worker.ts of its project (or bundle) folder; a bundle
 * without one is judged as the reference Worker's layout, which the log says.
 */
export async function resolveWorker(choice: WorkerChoice = {}, log: (line: string) => void = () => undefined): Promise<WorkerUnderTest> {
  const source = sourceOf(choice, log);
  const named = process.env.NEXUS_WORKER_DESCRIPTION;
  let path = named !== undefined && named !== "" ? resolve(named) : descriptionIn(source.dir);
  if (path === undefined && source.kind === "project") {
    throw new NexusError("usage", `${source.dir} has no nexus-worker.ts: describe how the gates read its seats (harness/worker/worker-description.ts)`);
  }
  if (path === undefined) {
    path = join(projectRoot, "nexus-worker.ts");
    log(`the bundle in ${source.dir} has no nexus-worker.ts: judging it as the reference Worker's layout (set NEXUS_WORKER_DESCRIPTION)`);
  }
  const description = await loadDescription(path);
  return { source, config: await readWorkerConfig(source.configPath, source.env), description, descriptionPath: path };
}

/**
 * The Worker the gates judge, as the caller resolved it: its description, where that was read from, and its bundle
 * when the harness runs it (undefined for a deployed Worker, which the harness neither bundles nor runs).
 */
export interface JudgedWorker {
  bundle: WorkerBundle | undefined;
  description: WorkerDescription;
  descriptionPath: string;
}

/** A Worker ready to run: its bundle and description, and where the description was read from. */
export interface PreparedWorker extends JudgedWorker {
  bundle: WorkerBundle;
}

/** A deployed Worker, judged by the description `worker` names: the harness neither bundles nor runs it. */
export function judgedAsDeployed(worker: WorkerUnderTest): JudgedWorker {
  return { bundle: undefined, description: worker.description, descriptionPath: worker.descriptionPath };
}

/** Bundles the Worker under test into `outDir` (a project) or takes its bundle as it is, ready to run. */
export async function prepareWorker(worker: WorkerUnderTest, outDir: string): Promise<PreparedWorker> {
  return { bundle: await bundleOf(worker, outDir), description: worker.description, descriptionPath: worker.descriptionPath };
}

/** The Worker's bundle: a project is bundled into `outDir` with its wrangler config; a bundle is used as it is. */
export async function bundleOf(worker: WorkerUnderTest, outDir: string): Promise<WorkerBundle> {
  const { source, config } = worker;
  if (source.kind === "project") return bundleWorker(outDir, config);
  return { dir: source.dir, entry: join(source.dir, "index.js"), config };
}

/** A short name for logs: the description's name and where the Worker came from. */
export function workerLabel(worker: WorkerUnderTest): string {
  const { source } = worker;
  const project = installedAsPackage ? relative(process.cwd(), source.dir) || "." : relative(projectRoot, source.dir) || "the project's wrangler.toml";
  const where = source.kind === "bundle" ? `bundle ${source.dir}` : project;
  return `${worker.description.name} (${where}${source.env ? `, env ${source.env}` : ""})`;
}
