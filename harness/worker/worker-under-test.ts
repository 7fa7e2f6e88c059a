import { existsSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { NexusError } from "../system/errors.js";
import { projectRoot } from "../system/paths.js";
import { bundleWorker, type WorkerBundle } from "./bundle.js";
import type { WorkerDescription } from "./worker-description.js";

/** Where the Worker under test comes from: a Worker project to bundle with wrangler, or a bundle made elsewhere. */
export type WorkerSource = { kind: "project"; dir: string } | { kind: "bundle"; dir: string };

/** The Worker the gates judge: its source, and what the gates need to know of it. */
export interface WorkerUnderTest {
  source: WorkerSource;
  description: WorkerDescription;
  /** Where the description was read from (shown in logs and stored with each run). */
  descriptionPath: string;
}

/** How a run names its Worker: `--worker DIR`, else NEXUS_WORKER, else NEXUS_WORKER_BUNDLE, else the reference Worker. */
export interface WorkerChoice {
  /** A Worker project folder (with wrangler.toml and nexus-worker.ts). */
  dir?: string;
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

/** The source `choice` and the environment name (see WorkerChoice), checked to exist. */
function sourceOf(choice: WorkerChoice): WorkerSource {
  const projectDir = choice.dir ?? process.env.NEXUS_WORKER;
  if (projectDir !== undefined && projectDir !== "") {
    const dir = resolve(projectDir);
    if (!existsSync(join(dir, "wrangler.toml"))) throw new NexusError("usage", `${dir} has no wrangler.toml: --worker (NEXUS_WORKER) names a Worker project folder`);
    return { kind: "project", dir };
  }
  const bundleDir = process.env.NEXUS_WORKER_BUNDLE;
  if (bundleDir !== undefined && bundleDir !== "") {
    const dir = resolve(bundleDir);
    if (!existsSync(join(dir, "index.js"))) throw new NexusError("usage", `NEXUS_WORKER_BUNDLE=${bundleDir} holds no index.js: give a folder wrangler bundled a Worker into`);
    return { kind: "bundle", dir };
  }
  return { kind: "project", dir: projectRoot };
}

/**
 * The Worker under test and its description: NEXUS_WORKER_DESCRIPTION when set, else the nexus-worker.ts of its
 * project (or bundle) folder; a bundle without one is judged as the reference Worker's layout, which the log says.
 */
export async function resolveWorker(choice: WorkerChoice = {}, log: (line: string) => void = () => undefined): Promise<WorkerUnderTest> {
  const source = sourceOf(choice);
  const named = process.env.NEXUS_WORKER_DESCRIPTION;
  let path = named !== undefined && named !== "" ? resolve(named) : descriptionIn(source.dir);
  if (path === undefined && source.kind === "project") {
    throw new NexusError("usage", `${source.dir} has no nexus-worker.ts: describe how the gates read its seats (harness/worker/worker-description.ts)`);
  }
  if (path === undefined) {
    path = join(projectRoot, "nexus-worker.ts");
    log(`the bundle in ${source.dir} has no nexus-worker.ts: judging it as the reference Worker's layout (set NEXUS_WORKER_DESCRIPTION)`);
  }
  return { source, description: await loadDescription(path), descriptionPath: path };
}

/** A Worker ready to run: its bundle and description, and where the description was read from. */
export interface PreparedWorker {
  bundle: WorkerBundle;
  description: WorkerDescription;
  descriptionPath: string;
}

/** Bundles the Worker under test into `outDir` (a project) or takes its bundle as it is, ready to run. */
export async function prepareWorker(worker: WorkerUnderTest, outDir: string): Promise<PreparedWorker> {
  return { bundle: await bundleOf(worker, outDir), description: worker.description, descriptionPath: worker.descriptionPath };
}

/** The Worker's bundle: a project is bundled into `outDir` with its wrangler.toml; a bundle is used as it is. */
export async function bundleOf(worker: WorkerUnderTest, outDir: string): Promise<WorkerBundle> {
  if (worker.source.kind === "bundle") return { dir: worker.source.dir, entry: join(worker.source.dir, "index.js") };
  return bundleWorker(outDir, join(worker.source.dir, "wrangler.toml"));
}

/** A short name for logs: the description's name and where the Worker came from. */
export function workerLabel(worker: WorkerUnderTest): string {
  const where = worker.source.kind === "bundle" ? `bundle ${worker.source.dir}` : relative(projectRoot, worker.source.dir) || "the project's wrangler.toml";
  return `${worker.description.name} (${where})`;
}
