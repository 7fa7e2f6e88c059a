import type { WorkerDescription } from "../harness/worker/worker-description.js";
import type { BookingDesign } from "../worker/contract.js";
import saga from "./saga.js";
import seatOwned from "./seat-owned.js";

/** One booking design of the reference Worker: its description, and the file it is read from (stored with each run). */
export interface ReferenceDesign {
  description: WorkerDescription;
  path: string;
}

/** The reference Worker's booking designs, by the BOOKING_DESIGN value that selects each. */
export const REFERENCE_DESIGNS: Record<BookingDesign, ReferenceDesign> = {
  saga: { description: saga, path: "designs/saga.ts" },
  "seat-owned": { description: seatOwned, path: "designs/seat-owned.ts" },
};
