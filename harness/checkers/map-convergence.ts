import { viewDisagreements } from "../history/final-state.js";
import { Findings, noOffenders, type Checker } from "./checker.js";

/** The SeatMap view equals the tickets' states (a seat absent from either side reads as AVAILABLE). */
export const mapConvergence: Checker = {
  name: "map-convergence",
  needs: ["seatMapView"],
  check(_history, state) {
    const seatMap = state.seatMap;
    if (seatMap === null) return { valid: "unknown", problems: ["the Worker has no SeatMap view to compare"], offenders: noOffenders(), stats: { seats: 0 } };
    const found = new Findings();
    for (const [seat, ticket, view] of viewDisagreements(state.tickets, seatMap))
      found.add(`seat ${seat} is ${ticket}, but the SeatMap shows ${view}`, { seats: [seat] });
    return found.result({ seats: new Set([...Object.keys(state.tickets), ...Object.keys(seatMap)]).size });
  },
};
