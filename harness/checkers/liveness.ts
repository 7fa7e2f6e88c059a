import { Findings, type Checker } from "./checker.js";

/** How long past its `reservedUntil` a hold may still stand when the state is read (the timer fires late under load). */
export const HOLD_GRACE_MS = 10_000;

/**
 * Once the workload and its faults are over, the system goes quiet: no invocation is left queued, running, retrying
 * or paused, and no seat stays RESERVED past its hold's end plus a grace.
 */
export const liveness: Checker = {
  name: "liveness",
  check(_history, state) {
    const found = new Findings();
    // A busy invocation is named by its target and invocation id, not by a booking or seat.
    for (const busy of state.busy) found.add(`still busy after the workload: ${busy}`);
    for (const ticket of Object.values(state.tickets)) {
      if (ticket.status !== "RESERVED" || ticket.reservedUntil === null) continue;
      const overdue = state.readAt - (ticket.reservedUntil + HOLD_GRACE_MS);
      if (overdue > 0)
        found.add(`seat ${ticket.seatId} is still RESERVED by ${ticket.bookingId ?? ticket.reservedBy}, ${overdue + HOLD_GRACE_MS} ms after its hold ended`, {
          seats: [ticket.seatId],
          bookings: [ticket.bookingId],
        });
    }
    return found.result({ busy: state.busy.length });
  },
};
