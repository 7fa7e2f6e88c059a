import { verdictOf, type Checker } from "./checker.js";

/** The SeatMap view equals the tickets' states (a seat absent from either side reads as AVAILABLE). */
export const mapConvergence: Checker = {
  name: "map-convergence",
  check(_history, state) {
    const problems: string[] = [];
    const seats = new Set([...Object.keys(state.tickets), ...Object.keys(state.seatMap)]);
    for (const seat of seats) {
      const ticket = state.tickets[seat]?.status ?? "AVAILABLE";
      const view = state.seatMap[seat] ?? "AVAILABLE";
      if (ticket !== view) problems.push(`seat ${seat} is ${ticket}, but the SeatMap shows ${view}`);
    }
    return { valid: verdictOf(problems), problems, stats: { seats: seats.size } };
  },
};
