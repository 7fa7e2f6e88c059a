// What clients and the payment gateway see of the Worker, as plain values: no SDK import, so the harness that judges
// the Worker can import the same texts and key format.

/** The booking designs one Worker can serve, by the value of its BOOKING_DESIGN binding (the list every part takes them from). */
export const BOOKING_DESIGNS = ["saga", "seat-owned"] as const;
export type BookingDesign = (typeof BOOKING_DESIGNS)[number];

/** What a booking pays, as in the proof of concept. */
export const TICKET_PRICE = 100;

/** What a successful booking returns, as in the proof of concept. */
export const BOOKING_CONFIRMED = "Booking Confirmed";

/**
 * The idempotency key of a booking's charge, which also names it at the gateway (its reference): the booking and the
 * seat it pays for. Every replay and retry of the booking sends the same key; no other booking or seat can, as seat and
 * booking ids hold no `:` (keyPartId in schemas.ts), and it fits MAX_KEY_LENGTH.
 */
export function chargeKeyOf(bookingId: string, ticketId: string): string {
  return `booking:${bookingId}:seat:${ticketId}`;
}

/** Seats of the demo game, which `GameManager/reset` frees: seat-1 … seat-50. */
export const DEMO_SEATS: readonly string[] = Array.from({ length: 50 }, (_, i) => `seat-${i + 1}`);

/** Texts of the answers; the first three keep the wording the proof of concept's clients match on. */
export const messages = {
  sold: "Ticket already sold",
  held: "Ticket is currently reserved",
  holdLost: "Ticket is not reserved by this booking (its hold expired)",
  refunded: "the payment was refunded",
  noMoneyTaken: "no money was taken",
  voided: "Ticket sale voided: the demo freed the seat and the payment was refunded",
} as const;
