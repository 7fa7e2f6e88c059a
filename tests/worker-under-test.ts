import { join, resolve } from "node:path";
import { inject } from "vitest";
import { REFERENCE_DESIGNS } from "../designs/index.js";
import { projectRoot } from "../harness/system/paths.js";
import type { WorkerConfig } from "../harness/worker/worker-config.js";
import { loadDescription, type PreparedWorker } from "../harness/worker/worker-under-test.js";

/** The Worker under test that the gates' global setup bundled, with its description (for test files); throws why there is none. */
export async function workerUnderTest(): Promise<PreparedWorker> {
  const error = inject("workerError");
  if (error) throw new Error(`no Worker under test: ${error}`);
  const dir = inject("workerBundle");
  const descriptionPath = inject("workerDescription");
  const config = JSON.parse(inject("workerConfig")) as WorkerConfig;
  return { bundle: { dir, entry: join(dir, "index.js"), config }, description: await loadDescription(descriptionPath), descriptionPath };
}

/**
 * The reference Worker's other booking designs, each on the same bundle, when the Worker under test is the reference
 * Worker as its nexus-worker.ts describes it (its default design); none for any other Worker or description.
 */
export function otherReferenceDesigns(worker: PreparedWorker): PreparedWorker[] {
  if (resolve(worker.descriptionPath) !== join(projectRoot, "nexus-worker.ts")) return [];
  return Object.values(REFERENCE_DESIGNS)
    .filter((design) => design.description.name !== worker.description.name)
    .map((design) => ({ bundle: worker.bundle, description: design.description, descriptionPath: join(projectRoot, design.path) }));
}
