import type { WorkerDescription } from "../harness/worker/worker-description.js";
import { readSeatMap, readSeats, REFERENCE_CAPABILITIES } from "./reads.js";

/** The reference Worker serving the saga design (BOOKING_DESIGN=saga): the Booking reserves a hold that expires, charges, confirms. */
const saga: WorkerDescription = {
  name: "reference saga",
  readSeats,
  readSeatMap,
  capabilities: { ...REFERENCE_CAPABILITIES, expiringHolds: true },
  bindings: { BOOKING_DESIGN: "saga" },
};

export default saga;
