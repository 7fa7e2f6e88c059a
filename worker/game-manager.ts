import * as restate from "@restatedev/restate-sdk-cloudflare-workers/fetch";
import { privateToRestate } from "./deployment.js";
import { input } from "./input.js";
import { emptyRequest, type EmptyRequest } from "./schemas.js";
import { DEMO_SEATS } from "./contract.js";
import { seatMap } from "./seat-map.js";
import { ticket } from "./ticket.js";

/** The demo game's reset: the map and every demo seat back to AVAILABLE, by one-way sends. */
export const gameManager = restate.service({
  name: "GameManager",
  handlers: {
    /** Resets the SeatMap view and releases seat-1 … seat-50, whatever their state. */
    reset: restate.handlers.handler(
      { input: input(emptyRequest), ingressPrivate: privateToRestate },
      async (ctx: restate.Context, _request: EmptyRequest): Promise<void> => {
        ctx.objectSendClient(seatMap, "global").resetAll({});
        for (const seatId of DEMO_SEATS) ctx.objectSendClient(ticket, seatId).release(undefined);
      },
    ),
  },
});

export type GameManager = typeof gameManager;
