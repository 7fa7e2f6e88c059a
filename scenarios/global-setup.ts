import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { outDir } from "../harness/paths.js";
import { prepareWorker } from "../harness/runner/run-gates.js";
import { resolveWorker, workerLabel } from "../harness/worker/worker-under-test.js";

declare module "vitest" {
  export interface ProvidedContext {
    workerBundle: string;
    workerDescription: string;
  }
}

/** Bundles the Worker under test (NEXUS_WORKER, NEXUS_WORKER_BUNDLE, else worker/) once for all gates of this test run. */
export default async function setup(project: TestProject): Promise<void> {
  const worker = await resolveWorker({}, (line) => console.log(`nexus: ${line}`));
  const prepared = await prepareWorker(worker, join(outDir(), ".build", "worker-test"));
  console.log(`gates judge the Worker ${workerLabel(worker)}`);
  project.provide("workerBundle", prepared.bundle.dir);
  project.provide("workerDescription", prepared.descriptionPath);
}
