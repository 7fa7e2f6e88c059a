import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { outDir } from "../harness/paths.js";
import { bundleWorker } from "../harness/worker/bundle.js";

declare module "vitest" {
  export interface ProvidedContext {
    workerBundle: string;
  }
}

/** Bundles the Worker once for all gates of this test run. */
export default async function setup(project: TestProject): Promise<void> {
  const bundle = await bundleWorker(join(outDir(), ".build", "worker-test"));
  project.provide("workerBundle", bundle.dir);
}
