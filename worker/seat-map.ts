import * as restate from "@restatedev/restate-sdk-cloudflare-workers/fetch";
import { configOf } from "./config.js";
import { DEMO_SEATS } from "./contract.js";
import { notFound } from "./errors.js";
import { privateToRestate } from "./deployment.js";
import { input } from "./input.js";
import { emptyRequest, type EmptyRequest, seatMapSet, type SeatMapSet, type TicketStatus } from "./schemas.js";

/** One seat in the view. `version` is the ticket's version at the update; older updates never overwrite newer ones. */
interface SeatEntry {
  status: TicketStatus;
  version: number;
}

const SEAT_PREFIX = "seat:";

/** The GameManager, named rather than imported: it imports this module, and the types would go in a circle. */
const gameManager: restate.ServiceDefinition<"GameManager", { reset: (ctx: restate.Context, request: EmptyRequest) => Promise<void> }> = {
  name: "GameManager",
};

/** The one map's key; any other key is refused rather than read or written as an empty map. */
export const SEAT_MAP_KEY = "global";

/** Throws 404 unless this is the one map. */
function theOneMap(ctx: restate.ObjectSharedContext): void {
  if (ctx.key !== SEAT_MAP_KEY) throw notFound(`No such seat map: there is one, "${SEAT_MAP_KEY}"`);
}

async function entries(ctx: restate.ObjectSharedContext): Promise<Array<[string, SeatEntry]>> {
  const keys = (await ctx.stateKeys()).filter((k) => k.startsWith(SEAT_PREFIX));
  const result: Array<[string, SeatEntry]> = [];
  for (const key of keys) {
    const entry = await ctx.get<SeatEntry>(key);
    if (entry) result.push([key.slice(SEAT_PREFIX.length), entry]);
  }
  return result;
}

async function resetAll(ctx: restate.ObjectContext): Promise<void> {
  for (const [seatId] of await entries(ctx)) ctx.clear(SEAT_PREFIX + seatId);
  for (const seatId of DEMO_SEATS) ctx.set<SeatEntry>(SEAT_PREFIX + seatId, { status: "AVAILABLE", version: 0 });
}

/**
 * An aggregate view of all seats (one object, key `global`). Tickets update it one-way after each change, so it
 * trails them a little and converges to their states; nothing on a checkout's critical path waits for it.
 */
export const seatMap = restate.object({
  name: "SeatMap",
  handlers: {
    /**
     * Records a seat's status; an update older than the one stored (by ticket version) is ignored. It reads one seat,
     * so its state is fetched lazily: eagerly, every update would carry the whole map, which grows with every seat.
     */
    set: restate.handlers.object.exclusive(
      { input: input(seatMapSet), ingressPrivate: privateToRestate, enableLazyState: true },
      async (ctx: restate.ObjectContext, update: SeatMapSet): Promise<boolean> => {
        theOneMap(ctx);
        const key = SEAT_PREFIX + update.seatId;
        const current = await ctx.get<SeatEntry>(key);
        if (update.version !== undefined && current && current.version >= update.version) return true;
        ctx.set<SeatEntry>(key, { status: update.status, version: update.version ?? current?.version ?? 0 });
        const { autoResetAt } = configOf(ctx);
        if (autoResetAt > 0 && update.status === "SOLD") {
          const sold = (await entries(ctx)).filter(([, e]) => e.status === "SOLD").length;
          if (sold >= autoResetAt) {
            await resetAll(ctx);
            ctx.serviceSendClient(gameManager).reset({});
          }
        }
        return true;
      },
    ),

    /** Resets the view: every known seat forgotten, the demo seats listed as AVAILABLE. */
    resetAll: restate.handlers.object.exclusive(
      { input: input(emptyRequest), ingressPrivate: privateToRestate },
      async (ctx: restate.ObjectContext, _request: EmptyRequest): Promise<void> => {
        theOneMap(ctx);
        await resetAll(ctx);
      },
    ),

    /** The proof of concept's name for resetAll. */
    reset: restate.handlers.object.exclusive(
      { input: input(emptyRequest), ingressPrivate: privateToRestate },
      async (ctx: restate.ObjectContext, _request: EmptyRequest): Promise<void> => {
        theOneMap(ctx);
        await resetAll(ctx);
      },
    ),

    /** Every seat in the view as `{id, status}`. Read-only and concurrent. */
    get: restate.handlers.object.shared(
      { input: input(emptyRequest) },
      async (ctx: restate.ObjectSharedContext): Promise<Array<{ id: string; status: TicketStatus }>> => {
        theOneMap(ctx);
        return (await entries(ctx)).map(([id, entry]) => ({ id, status: entry.status }));
      },
    ),
  },
});

export type SeatMap = typeof seatMap;
