import { bookingsOf } from "../history/bookings.js";
import { Findings, type Checker } from "./checker.js";

/**
 * Every failed checkout got one of `allowed` HTTP statuses (a client can tell "sold out" from "declined" without
 * parsing text), and none came back as info (no answer or an unexpected status) when `allowInfo` is false.
 */
export function failureStatuses(allowed: number[], allowInfo = false): Checker {
  return {
    name: `failure-statuses(${allowed.join("|")})`,
    check(history) {
      const found = new Findings();
      const bookings = bookingsOf(history);
      for (const booking of bookings) {
        if (booking.outcome === "info" && !allowInfo) {
          found.add(`booking ${booking.bookingId} got no definite answer (HTTP ${booking.statuses.join(",") || "none"})`, { bookings: [booking.bookingId] });
        }
        if (booking.outcome !== "fail") continue;
        const wrong = booking.definiteStatuses.filter((s) => !allowed.includes(s));
        if (wrong.length > 0)
          found.add(`booking ${booking.bookingId} failed with HTTP ${wrong.join(",")}, expected ${allowed.join(" or ")}`, { bookings: [booking.bookingId] });
      }
      return found.result({ failed: bookings.filter((b) => b.outcome === "fail").length });
    },
  };
}
