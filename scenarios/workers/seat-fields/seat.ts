import * as restate from "@restatedev/restate-sdk-cloudflare-workers/fetch";
import { z } from "zod";
import { configOf } from "../../../worker/config.js";
import { messages } from "../../../worker/contract.js";
import { conflict } from "../../../worker/errors.js";
import { input } from "../../../worker/input.js";
import { bookingHold, id } from "../../../worker/schemas.js";
import { defectOf } from "./defect.js";

// A seat keeps one state key per field, each absent when it does not apply:
//   holder: the booking id that holds or bought the seat (absent: the seat is free)
//   user:   that booking's user
//   until:  when the hold ends, ms since the epoch (absent once sold)
//   sold:   true once the holder bought it

/** What reserve answers: the seat is held for the booking, or this booking already bought it. */
export type Reserved = "held" | "sold";

const bookingOnly = z.strictObject({ bookingId: id });
const holdEnd = z.strictObject({ bookingId: id, until: z.number().int() });

/** The fields that make a hold; a sold seat keeps `holder` and `user` as its owner. */
interface Fields {
  holder: string | null;
  sold: boolean;
  until: number | null;
}

async function fieldsOf(ctx: restate.ObjectContext): Promise<Fields> {
  return { holder: await ctx.get<string>("holder"), sold: (await ctx.get<boolean>("sold")) === true, until: await ctx.get<number>("until") };
}

/** Frees the seat: no holder, no user, no hold end. */
function clearHold(ctx: restate.ObjectContext): void {
  ctx.clear("holder");
  ctx.clear("user");
  ctx.clear("until");
}

export const seat = restate.object({
  name: "Seat",
  handlers: {
    /** A free seat becomes held for the booking until HOLD_TTL_MS from now ("held"); its own holder gets "held" or "sold"; anyone else 409. */
    reserve: restate.handlers.object.exclusive(
      { input: input(bookingHold), ingressPrivate: true },
      async (ctx: restate.ObjectContext, { bookingId, userId }: z.infer<typeof bookingHold>): Promise<Reserved> => {
        const { holder, sold } = await fieldsOf(ctx);
        // DEFECT (SEAT_FIELDS_DEFECT=ignore-holds, tests only): another booking's hold or sale goes unseen and is taken over.
        const seen = defectOf(ctx) === "ignore-holds" && holder !== bookingId ? null : holder;
        if (seen !== null) {
          if (seen !== bookingId) throw conflict(sold ? messages.sold : messages.held);
          return sold ? "sold" : "held";
        }
        const { holdTtlMs } = configOf(ctx);
        const until = (await ctx.date.now()) + holdTtlMs;
        ctx.set("holder", bookingId);
        ctx.set("user", userId);
        ctx.set("until", until);
        ctx.clear("sold");
        ctx.objectSendClient(seat, ctx.key).expire({ bookingId, until }, restate.rpc.sendOpts({ delay: holdTtlMs }));
        return "held";
      },
    ),

    /** Held → sold, only for the booking that holds it (a repeat by the owner is a no-op); otherwise 409 saying why. */
    confirm: restate.handlers.object.exclusive(
      { input: input(bookingOnly), ingressPrivate: true },
      async (ctx: restate.ObjectContext, { bookingId }: z.infer<typeof bookingOnly>): Promise<boolean> => {
        const { holder, sold } = await fieldsOf(ctx);
        if (holder !== bookingId) throw conflict(sold ? messages.sold : holder !== null ? messages.held : messages.holdLost);
        if (!sold) {
          ctx.set("sold", true);
          ctx.clear("until");
        }
        return true;
      },
    ),

    /** Ends the booking's own hold (the saga's compensation); false when it holds nothing here. A sale is never undone. */
    release: restate.handlers.object.exclusive(
      { input: input(bookingOnly), ingressPrivate: true },
      async (ctx: restate.ObjectContext, { bookingId }: z.infer<typeof bookingOnly>): Promise<boolean> => {
        const { holder, sold } = await fieldsOf(ctx);
        if (holder !== bookingId || sold) return false;
        clearHold(ctx);
        return true;
      },
    ),

    /** Internal, the hold's durable timer: ends the hold if it is still the one that set the timer. */
    expire: restate.handlers.object.exclusive(
      { input: input(holdEnd), ingressPrivate: true },
      async (ctx: restate.ObjectContext, { bookingId, until }: z.infer<typeof holdEnd>): Promise<boolean> => {
        const fields = await fieldsOf(ctx);
        if (fields.holder !== bookingId || fields.sold || fields.until !== until) return false;
        clearHold(ctx);
        return true;
      },
    ),
  },
});

export type Seat = typeof seat;
