import { refusedNotCharged } from "../../harness/checkers/exactly-once-charge.js";
import { seatsSold } from "../../harness/checkers/expectations.js";
import { failureStatuses } from "../../harness/checkers/failure-statuses.js";
import { mapConvergence } from "../../harness/checkers/map-convergence.js";
import { noDoubleSale } from "../../harness/checkers/no-double-sale.js";
import { noLostBooking } from "../../harness/checkers/no-lost-booking.js";
import type { Gate } from "../../harness/runner/gate.js";
import { inParallel, recordCheckout } from "../../harness/runner/workload.js";

/** Sizes of the workload (at least 50 on one seat and 500 over 20 seats: enough overlap to race). */
export const DOUBLE_BOOKING_SIZE = { hotSeatUsers: 50, stormCheckouts: 500, stormSeats: 20, inFlight: 100 };

/** Many users race for one seat, then a storm over a few seats: every seat sells exactly once, losers get 409. */
export const doubleBooking: Gate = {
  name: "double-booking",
  needs: ["workerControl"],
  title: "concurrent checkouts never sell a seat twice; losers get 409 and pay nothing",
  checkers: [noDoubleSale, noLostBooking, refusedNotCharged([409]), mapConvergence, failureStatuses([409]), seatsSold],
  async run(context) {
    const { prefix, log, history } = context;
    const { hotSeatUsers, stormCheckouts, stormSeats, inFlight } = DOUBLE_BOOKING_SIZE;
    const hotSeat = `${prefix}hot`;
    const seats = Array.from({ length: stormSeats }, (_, i) => `${prefix}s${i}`);
    history.expect("sold", { seats: [hotSeat, ...seats] });
    log(`${hotSeatUsers} users race for ${hotSeat}`);
    await Promise.all(
      Array.from({ length: hotSeatUsers }, (_, i) =>
        recordCheckout(context, `hot-${i}`, { ticketId: hotSeat, userId: `hot-user-${i}`, bookingId: `${prefix}hot-b${i}` }),
      ),
    );
    log(`${stormCheckouts} checkouts over ${stormSeats} seats, ${inFlight} in flight`);
    await inParallel(
      Array.from(
        { length: stormCheckouts },
        (_, i) => () =>
          recordCheckout(context, `storm-${i % inFlight}`, { ticketId: seats[i % stormSeats]!, userId: `storm-user-${i}`, bookingId: `${prefix}storm-b${i}` }),
      ),
      inFlight,
    );
  },
};
