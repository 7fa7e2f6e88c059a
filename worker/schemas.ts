import { z } from "zod";

/**
 * Longest id (seat, user, booking, payment method) the Worker accepts: a refund key, `refund:booking:<booking>:seat:<seat>`,
 * of two such ids then fits MAX_KEY_LENGTH.
 */
export const MAX_ID_LENGTH = 117;

/** Longest idempotency key a payment gateway takes (Stripe's limit); every charge and refund key the Worker makes fits it. */
export const MAX_KEY_LENGTH = 255;

/** Characters allowed in ids: letters, digits and `. _ : @ + -`, starting with a letter or digit. */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:@+-]*$/;

/** Ids that name a seat or a booking hold no `:`, the charge key's separator, so a charge key names one booking and one seat. */
export const KEY_PART_PATTERN = /^[^:]*$/;

/** A non-empty id of at most MAX_ID_LENGTH safe characters. */
export const id = z
  .string()
  .min(1, "must not be empty")
  .max(MAX_ID_LENGTH, `must be at most ${MAX_ID_LENGTH} characters`)
  .regex(ID_PATTERN, "may hold only letters, digits and . _ : @ + -, starting with a letter or digit");

/** A seat's or a booking's id: an id without `:` (see KEY_PART_PATTERN). */
export const keyPartId = id.regex(KEY_PART_PATTERN, "may not hold ':', which separates the parts of a charge key");

/** Body of `Checkout/process`. */
export const checkoutRequest = z.strictObject({
  ticketId: keyPartId,
  userId: id,
  paymentMethodId: id.optional(),
  bookingId: keyPartId.optional(),
});
export type CheckoutRequest = z.infer<typeof checkoutRequest>;

/** What a Booking is asked to do: the seat, the user and the card (the Checkout fills in the default card). */
export const bookingRequest = z.strictObject({ ticketId: keyPartId, userId: id, paymentMethodId: id });
export type BookingRequest = z.infer<typeof bookingRequest>;

/** An awakeable's id, as Restate makes them: opaque text. */
const awakeableId = z.string().min(1).max(256);

/** What the seat-owned Checkout asks a Booking (internal): bind the id to this request, then book, answering the awakeable. */
export const bookingClaim = bookingRequest.extend({ awakeableId });
export type BookingClaim = z.infer<typeof bookingClaim>;

/** What a Booking asks the seat in the seat-owned design (internal): book it for this booking, answering the awakeable. */
export const seatBooking = z.strictObject({ bookingId: keyPartId, userId: id, paymentMethodId: id, awakeableId });
export type SeatBooking = z.infer<typeof seatBooking>;

/** A hold made by a booking (what the saga sends). */
export const bookingHold = z.strictObject({ userId: id, bookingId: keyPartId });

/** Body of `Ticket/reserve`: the proof of concept's bare user id, or a booking's hold. */
export const reserveRequest = z.union([id, bookingHold]);
export type ReserveRequest = z.infer<typeof reserveRequest>;

/** Body of `Ticket/confirm` and `Ticket/release`: empty (the proof of concept's form) or the booking that acts. */
export const bookingRef = z.strictObject({ bookingId: keyPartId }).optional();
export type BookingRef = z.infer<typeof bookingRef>;

/** Body of the internal `Booking/voidSale`: the seat whose sale the demo freed. */
export const voidSale = z.strictObject({ ticketId: keyPartId });
export type VoidSale = z.infer<typeof voidSale>;

/** Body of the internal `Ticket/expire`: the hold to end. */
export const expireRequest = z.strictObject({ holdId: z.string().min(1).max(MAX_ID_LENGTH) });

/** An empty body, or `{}` as the proof of concept's clients send. */
export const emptyRequest = z.union([z.undefined(), z.strictObject({})]);
export type EmptyRequest = z.infer<typeof emptyRequest>;

/** Seat statuses. */
export const ticketStatus = z.enum(["AVAILABLE", "RESERVED", "SOLD"]);
export type TicketStatus = z.infer<typeof ticketStatus>;

/** Body of `SeatMap/set`: the proof of concept's `{seatId, status}`, with the ticket's version when a Ticket sends it. */
export const seatMapSet = z.strictObject({
  seatId: id,
  status: ticketStatus,
  version: z.number().int().nonnegative().optional(),
});
export type SeatMapSet = z.infer<typeof seatMapSet>;
