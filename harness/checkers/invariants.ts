import type { Checker } from "./checker.js";
import { endedStaysEnded } from "./ended-stays-ended.js";
import { exactlyOnceCharge } from "./exactly-once-charge.js";
import { holdsEndByOwn } from "./holds-end-by-own.js";
import { liveness } from "./liveness.js";
import { oneBookingPerId } from "./one-booking-per-id.js";
import { paidSeats } from "./paid-seats.js";

/**
 * The checkers every gate is judged by, besides its own: the system went quiet (liveness), and the booking
 * invariants every Worker design keeps: paid seats, one booking per id, ended bookings stay ended, no money kept by
 * a failed booking (exactly-once-charge), holds ended only by their own timer or booking.
 */
export const EVERY_GATE: readonly Checker[] = [liveness, paidSeats, oneBookingPerId, endedStaysEnded, exactlyOnceCharge, holdsEndByOwn];
