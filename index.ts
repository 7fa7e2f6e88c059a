// nexus as a package: what a team's nexus-worker.ts imports (`import { defineWorker } from "nexus"`), never a path
// into nexus's source. The reference Worker itself is `nexus/worker`; its seat reads are here for Workers built on it.
import type { WorkerDescription } from "./harness/worker/worker-description.js";

export type { SqlQuery, TicketRecord, WorkerCapabilities, WorkerDescription } from "./harness/worker/worker-description.js";
export { readSeatMap as readReferenceSeatMap, readSeats as readReferenceSeats } from "./designs/reads.js";
export { sqlText } from "./harness/restate/admin.js";

/** Returns `description` as it is, checked against WorkerDescription: the default export of a team's nexus-worker.ts. */
export function defineWorker(description: WorkerDescription): WorkerDescription {
  return description;
}
