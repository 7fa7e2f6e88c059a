import * as restate from "@restatedev/restate-sdk-cloudflare-workers/fetch";
import { configOf } from "./config.js";
import { privateToRestate } from "./deployment.js";
import { messages } from "./contract.js";
import { conflict } from "./errors.js";
import { input } from "./input.js";
import {
  bookingRef,
  emptyRequest,
  expireRequest,
  type EmptyRequest,
  reserveRequest,
  seatBooking,
  type BookingRef,
  type ReserveRequest,
  type SeatBooking,
  type TicketStatus,
  type VoidSale,
} from "./schemas.js";
import { bookSeat, type BookingAnswer } from "./seat-booking.js";
import { AVAILABLE, load, seatIdOf, store, type TicketState } from "./ticket-state.js";

/** The public view of a ticket, as the proof of concept's `get` returns it. */
export interface TicketView {
  status: TicketStatus;
  reservedBy: string | null;
  reservedUntil: number | null;
}

/** What reserve answers: the seat is held for the caller, or this booking already bought it. */
export type ReserveResult = "held" | "sold";

type TicketContext = restate.ObjectContext;

/** The Booking object, named rather than imported: it imports this module, and the types would go in a circle. */
const bookingObject: restate.VirtualObjectDefinition<"Booking", { voidSale: (ctx: restate.ObjectContext, request: VoidSale) => Promise<void> }> = {
  name: "Booking",
};

/**
 * The demo API frees the seat whatever it holds. A sale it ends is voided first: the booking that bought the seat
 * refunds its charge and answers 409 from then on, so a retry of it never reads "Booking Confirmed" for a free seat.
 */
async function freeSeat(ctx: TicketContext, seatId: string, state: TicketState): Promise<void> {
  if (state.status === "SOLD" && state.bookingId !== null) await ctx.objectClient(bookingObject, state.bookingId).voidSale({ ticketId: seatId });
  await store(ctx, seatId, AVAILABLE);
}

/** The acting booking of a request: a booking id, or the user of the proof of concept's bare form. */
interface Actor {
  userId: string | null;
  bookingId: string | null;
}

function actorOfReserve(request: ReserveRequest): Actor & { userId: string } {
  return typeof request === "string" ? { userId: request, bookingId: null } : { userId: request.userId, bookingId: request.bookingId };
}

/** True when the hold or sale in `state` belongs to `actor`. A bare (original-form) request matches only a bare hold. */
function heldBy(state: TicketState, actor: Actor): boolean {
  if (actor.bookingId !== null) return state.bookingId === actor.bookingId;
  return state.bookingId === null && (actor.userId === null || state.reservedBy === actor.userId);
}

function view(state: TicketState): TicketView {
  return { status: state.status, reservedBy: state.reservedBy, reservedUntil: state.reservedUntil };
}

export const ticket = restate.object({
  name: "Ticket",
  handlers: {
    /**
     * AVAILABLE → RESERVED for this booking (or bare user), with a hold that expires: "held". The same holder again is
     * a no-op ("held"); a booking that already bought the seat gets "sold"; anyone else 409.
     */
    reserve: restate.handlers.object.exclusive(
      { input: input(reserveRequest), ingressPrivate: privateToRestate },
      async (ctx: TicketContext, request: ReserveRequest): Promise<ReserveResult> => {
        const seatId = seatIdOf(ctx);
        const actor = actorOfReserve(request);
        const state = await load(ctx);
        if (state.status === "SOLD") {
          if (actor.bookingId !== null && state.bookingId === actor.bookingId) return "sold";
          throw conflict(messages.sold);
        }
        if (state.status === "RESERVED") {
          if (heldBy(state, actor) && state.reservedBy === actor.userId) return "held";
          throw conflict(messages.held);
        }
        // Reading the clock is a journaled step (a round trip in request-response mode): only a new hold pays it.
        const now = await ctx.date.now();
        const { holdTtlMs } = configOf(ctx);
        const holdId = ctx.rand.uuidv4();
        await store(ctx, seatId, {
          status: "RESERVED",
          reservedBy: actor.userId,
          reservedUntil: now + holdTtlMs,
          bookingId: actor.bookingId,
          holdId,
        });
        ctx.objectSendClient(ticket, seatId).expire({ holdId }, restate.rpc.sendOpts({ delay: holdTtlMs }));
        return "held";
      },
    ),

    /**
     * RESERVED → SOLD, only for the booking that holds the seat. A hold ends when its `expire` timer runs (the one
     * clock every handler of this object agrees on): after that the seat is AVAILABLE or someone else's, and the
     * confirm is refused.
     */
    confirm: restate.handlers.object.exclusive(
      { input: input(bookingRef), ingressPrivate: privateToRestate },
      async (ctx: TicketContext, request: BookingRef): Promise<boolean> => {
        const seatId = seatIdOf(ctx);
        const actor: Actor = { userId: null, bookingId: request?.bookingId ?? null };
        const state = await load(ctx);
        if (state.status === "SOLD") {
          if (heldBy(state, actor)) return true;
          throw conflict(messages.sold);
        }
        if (state.status !== "RESERVED" || !heldBy(state, actor)) {
          throw conflict(state.status === "RESERVED" ? messages.held : messages.holdLost);
        }
        await store(ctx, seatId, { ...state, status: "SOLD", reservedUntil: null, holdId: null });
        return true;
      },
    ),

    /**
     * With a booking id: ends that booking's hold and nothing else (the saga's compensation; returns false when
     * there was nothing of its to release). Without one (the proof of concept's form, used by the demo reset): the seat
     * goes back to AVAILABLE whatever its state, a sale voided (freeSeat).
     */
    release: restate.handlers.object.exclusive(
      { input: input(bookingRef), ingressPrivate: privateToRestate },
      async (ctx: TicketContext, request: BookingRef): Promise<boolean> => {
        const seatId = seatIdOf(ctx);
        const state = await load(ctx);
        if (request !== undefined) {
          if (state.status !== "RESERVED" || state.bookingId !== request.bookingId) return false;
          await store(ctx, seatId, AVAILABLE);
        } else if (state.status !== "AVAILABLE") {
          await freeSeat(ctx, seatId, state);
        }
        return true;
      },
    ),

    /**
     * Internal, the seat-owned design: runs the whole booking under this seat's lock (bookSeat) and gives its answer
     * to the Checkout waiting on `awakeableId`, a terminal failure included, so the Checkout never waits for ever.
     */
    book: restate.handlers.object.exclusive(
      { input: input(seatBooking), ingressPrivate: true },
      async (ctx: TicketContext, request: SeatBooking): Promise<BookingAnswer> => {
        const { awakeableId, ...order } = request;
        try {
          const answer = await bookSeat(ctx, order);
          ctx.resolveAwakeable(awakeableId, answer);
          return answer;
        } catch (error) {
          if (error instanceof restate.TerminalError) ctx.resolveAwakeable<BookingAnswer>(awakeableId, { status: error.code, message: error.message });
          throw error;
        }
      },
    ),

    /** Internal: ends the hold `holdId` if it is still the current one (scheduled by reserve). */
    expire: restate.handlers.object.exclusive(
      { input: input(expireRequest), ingressPrivate: true },
      async (ctx: TicketContext, request: { holdId: string }): Promise<boolean> => {
        const seatId = seatIdOf(ctx);
        const state = await load(ctx);
        if (state.status !== "RESERVED" || state.holdId !== request.holdId) return false;
        await store(ctx, seatId, AVAILABLE);
        return true;
      },
    ),

    /** Clears the ticket's state (it reads as AVAILABLE afterwards), a sale voided (freeSeat). */
    cleanup: restate.handlers.object.exclusive(
      { input: input(emptyRequest), ingressPrivate: privateToRestate },
      async (ctx: TicketContext, _request: EmptyRequest): Promise<boolean> => {
        const seatId = seatIdOf(ctx);
        const state = await load(ctx);
        if (state.status !== "AVAILABLE") await freeSeat(ctx, seatId, state);
        ctx.clear("state");
        return true;
      },
    ),

    /** The seat's status, holder and hold expiry; an unknown seat reads as AVAILABLE. Read-only and concurrent. */
    get: restate.handlers.object.shared(
      { input: input(emptyRequest) },
      async (ctx: restate.ObjectSharedContext, _request: EmptyRequest): Promise<TicketView> => {
        seatIdOf(ctx);
        return view(await load(ctx));
      },
    ),
  },
});

export type Ticket = typeof ticket;
