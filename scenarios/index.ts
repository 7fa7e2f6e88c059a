import { NexusError } from "../harness/system/errors.js";
import type { Gate } from "../harness/runner/gate.js";
import { badInput } from "./gates/bad-input.js";
import { bookingModelGate } from "./gates/booking-model.js";
import { clientRetries } from "./gates/client-retries.js";
import { crashMatrix } from "./gates/crash-matrix.js";
import { gatewayFaults } from "./gates/gateway-faults.js";
import { restateCrash } from "./gates/restate-crash.js";
import { declineCompensation } from "./gates/decline-compensation.js";
import { doubleBooking } from "./gates/double-booking.js";
import { happyPath } from "./gates/happy-path.js";
import { holdExpiry } from "./gates/hold-expiry.js";
import { partition } from "./gates/partition.js";
import { hostileInput } from "./gates/hostile-input.js";
import { demoApi, privateApi } from "./gates/private-api.js";
import { requestSigning } from "./gates/request-signing.js";

/** Every correctness gate, in the order they run (vitest and `nexus run` both take them from here). */
export const GATES: readonly Gate[] = [
  happyPath,
  doubleBooking,
  declineCompensation,
  holdExpiry,
  badInput,
  crashMatrix,
  restateCrash,
  partition,
  gatewayFaults,
  clientRetries,
  requestSigning,
  privateApi,
  demoApi,
  hostileInput,
  bookingModelGate,
];

/** The gates whose names are in `names` (all when empty); an unknown name is an error that lists the known ones. */
export function selectGates(names: string[]): Gate[] {
  if (names.length === 0) return [...GATES];
  const unknown = names.filter((n) => !GATES.some((g) => g.name === n));
  if (unknown.length > 0) throw new NexusError("usage", `unknown gate ${unknown.join(", ")}: choose from ${GATES.map((g) => g.name).join(", ")}`);
  return GATES.filter((g) => names.includes(g.name));
}
