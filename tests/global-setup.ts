import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { outDir } from "../harness/system/paths.js";
import { prepareWorker, resolveWorker, workerLabel } from "../harness/worker/worker-under-test.js";

declare module "vitest" {
  export interface ProvidedContext {
    workerBundle: string;
    /** The bundle's deploy settings (WorkerConfig), as JSON. */
    workerConfig: string;
    workerDescription: string;
    /** Why there is no Worker under test (it could not be found or bundled); the files that need one fail with it. */
    workerError: string;
  }
}

/**
 * Bundles the Worker under test (NEXUS_WORKER, NEXUS_WORKER_BUNDLE, else worker/) once for all gates of this test
 * run. A Worker that cannot be had is not thrown here (vitest would end the run before any reporter counts it): the
 * test files that need it fail with the reason, and the summary counts them.
 */
export default async function setup(project: TestProject): Promise<void> {
  try {
    const worker = await resolveWorker({}, (line) => console.log(`nexus: ${line}`));
    const prepared = await prepareWorker(worker, join(outDir(), ".build", "worker-test"));
    console.log(`gates judge the Worker ${workerLabel(worker)}`);
    project.provide("workerBundle", prepared.bundle.dir);
    project.provide("workerConfig", JSON.stringify(prepared.bundle.config));
    project.provide("workerDescription", prepared.descriptionPath);
    project.provide("workerError", "");
  } catch (error) {
    project.provide("workerError", (error as Error).message);
  }
}
