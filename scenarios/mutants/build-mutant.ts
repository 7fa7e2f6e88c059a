import { buildVariant } from "../../harness/worker/variant.js";
import type { WorkerBundle } from "../../harness/worker/bundle.js";
import type { Mutant } from "./catalogue.js";

/** Builds a mutant: the Worker with the mutant's edits applied to a copy of worker/. */
export async function buildMutant(mutant: Mutant): Promise<WorkerBundle> {
  return buildVariant(`mutant-${mutant.name}`, mutant.edits);
}
