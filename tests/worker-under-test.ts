import { join } from "node:path";
import { inject } from "vitest";
import { loadDescription, type PreparedWorker } from "../harness/worker/worker-under-test.js";

/** The Worker under test that the gates' global setup bundled, with its description (for test files); throws why there is none. */
export async function workerUnderTest(): Promise<PreparedWorker> {
  const error = inject("workerError");
  if (error) throw new Error(`no Worker under test: ${error}`);
  const dir = inject("workerBundle");
  const descriptionPath = inject("workerDescription");
  return { bundle: { dir, entry: join(dir, "index.js") }, description: await loadDescription(descriptionPath), descriptionPath };
}
