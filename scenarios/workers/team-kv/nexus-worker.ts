// How nexus reads this Worker: it keeps the reference Worker's state layout, so it reads its seats as nexus reads the
// reference's, and it can do what the reference does in its default (seat-owned) design.
import { defineWorker, readReferenceSeatMap, readReferenceSeats } from "nexus";

export default defineWorker({
  name: "team-bookings",
  readSeats: readReferenceSeats,
  readSeatMap: readReferenceSeatMap,
  capabilities: { crashPoints: true, demoApi: true, seatMapView: true, mockPaymentRoute: true, requestSigning: true, expiringHolds: false },
});
