import type * as restate from "@restatedev/restate-sdk-cloudflare-workers/fetch";
import { badRequest } from "./errors.js";
import { keyPartId, type TicketStatus } from "./schemas.js";
import { seatMap } from "./seat-map.js";

/** What a Ticket stores. `bookingId` is the booking that holds or bought the seat (null for the proof of concept's bare holds). */
export interface TicketState {
  status: TicketStatus;
  reservedBy: string | null;
  reservedUntil: number | null;
  bookingId: string | null;
  holdId: string | null;
}

/** A seat nobody holds or bought: what an unknown seat reads as. */
export const AVAILABLE: TicketState = { status: "AVAILABLE", reservedBy: null, reservedUntil: null, bookingId: null, holdId: null };

/** The seat id of this Ticket; 400 when the key is not a valid id. */
export function seatIdOf(ctx: restate.ObjectSharedContext): string {
  const parsed = keyPartId.safeParse(ctx.key);
  if (!parsed.success) throw badRequest(`Invalid seat id: ${parsed.error.issues[0]?.message ?? "malformed"}`);
  return parsed.data;
}

/** The seat's state; AVAILABLE when nothing was stored. */
export async function load(ctx: restate.ObjectSharedContext): Promise<TicketState> {
  return (await ctx.get<TicketState>("state")) ?? AVAILABLE;
}

/** Stores a new state, bumps the ticket's version and tells the SeatMap view (one-way, off the critical path). */
export async function store(ctx: restate.ObjectContext, seatId: string, state: TicketState): Promise<void> {
  const version = ((await ctx.get<number>("version")) ?? 0) + 1;
  ctx.set("state", state);
  ctx.set("version", version);
  ctx.objectSendClient(seatMap, "global").set({ seatId, status: state.status, version });
}
