import fc from "fast-check";

// The small world the booking model draws its histories from: few seats, users and booking ids, so that requests
// collide often (Jepsen's lesson: small universes find more bugs than big ones), and twins (one user's two bookings for
// one seat) are common.

export const SEATS = 4;
export const USERS = 4;
export const BOOKINGS = 8;

/** The cards a booking may pay with: mostly good ones. */
export const CARDS = ["card_success", "card_decline", "card_error"] as const;
export type Card = (typeof CARDS)[number];

/** The request a booking id stands for in one run: which seat, which user, which card (indexes into the universe). */
export interface BookingPlan {
  seat: number;
  user: number;
  card: Card;
  /** The booking id is as long as the Worker allows (MAX_ID_LENGTH), so its charge and refund keys reach 255 on the last seat. */
  longId: boolean;
}

/** The seat whose id is as long as the Worker allows. */
export const LONG_SEAT = SEATS - 1;

/**
 * How a client's request relates to its booking's plan: the same; the booking id reused for another seat, user or card;
 * or the booking id with the charge key's separator in it (`<id>:seat:<seat>`, an id the Worker must refuse).
 */
export type Variant = "same" | "other-seat" | "other-user" | "other-card" | "separator";

/** One client's checkout: which booking id, how it is varied, whether it sends the idempotency-key header, and its patience. */
export interface ClientOp {
  booking: number;
  variant: Variant;
  withKey: boolean;
  /** An impatient client gives up after 250 ms and retries (the booking goes on without it). */
  impatient: boolean;
}

/** One of `choices`, each drawn in proportion to its weight. */
export const weighted = <T>(...choices: Array<[T, number]>): fc.Arbitrary<T> =>
  fc.oneof(...choices.map(([value, weight]) => ({ arbitrary: fc.constant(value), weight })));

/** The plans of a run's booking ids. One in three is a twin: the same user and seat as the booking before it (its own card). */
export const plansArbitrary: fc.Arbitrary<BookingPlan[]> = fc
  .array(
    fc.record({
      seat: fc.integer({ min: 0, max: SEATS - 1 }),
      user: fc.integer({ min: 0, max: USERS - 1 }),
      card: weighted<Card>(["card_success", 4], ["card_decline", 1], ["card_error", 1]),
      twin: weighted([false, 2], [true, 1]),
      longId: weighted([false, 4], [true, 1]),
    }),
    { minLength: BOOKINGS, maxLength: BOOKINGS },
  )
  .map((drawn) => {
    const plans: BookingPlan[] = [];
    for (const { twin, ...plan } of drawn) {
      const before = plans.at(-1);
      plans.push(twin && before ? { ...plan, seat: before.seat, user: before.user } : plan);
    }
    return plans;
  });

/** One client's checkout, mostly of its booking's own request. */
export const clientOpArbitrary: fc.Arbitrary<ClientOp> = fc.record({
  booking: fc.integer({ min: 0, max: BOOKINGS - 1 }),
  variant: weighted<Variant>(["same", 10], ["other-seat", 2], ["other-user", 2], ["other-card", 2], ["separator", 1]),
  withKey: fc.boolean(),
  impatient: weighted([false, 3], [true, 1]),
});
