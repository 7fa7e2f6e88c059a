import type { WorkerDescription } from "../harness/worker/worker-description.js";
import { readSeatMap, readSeats, REFERENCE_CAPABILITIES } from "./reads.js";

/** The reference Worker serving the seat-owned design (BOOKING_DESIGN=seat-owned): the seat's lock is the hold, so no hold expires mid-payment. */
const seatOwned: WorkerDescription = {
  name: "reference seat-owned",
  readSeats,
  readSeatMap,
  capabilities: { ...REFERENCE_CAPABILITIES, expiringHolds: false },
  bindings: { BOOKING_DESIGN: "seat-owned" },
};

export default seatOwned;
