import * as restate from "@restatedev/restate-sdk-cloudflare-workers/fetch";
import { unprocessable } from "./errors.js";
import type { BookingRequest } from "./schemas.js";

/** What a booking stores once it has ended: the request it was made with and the answer it got (200: confirmed). */
export interface BookingRecord {
  request: BookingRequest;
  status: number;
  message: string;
}

/** Whether two requests ask for the same booking: the same seat, user and card. */
export const sameRequest = (a: BookingRequest, b: BookingRequest): boolean =>
  a.ticketId === b.ticketId && a.userId === b.userId && a.paymentMethodId === b.paymentMethodId;

const describe = (r: BookingRequest): string => `seat ${r.ticketId} for user ${r.userId}, paid with ${r.paymentMethodId}`;

/** The 422 for a request under booking id `key` that differs from the one the id is bound to. */
export function otherBooking(key: string, bound: BookingRequest, request: BookingRequest): restate.TerminalError {
  return unprocessable(
    `Booking ${key} was made for ${describe(bound)}; this request is for ${describe(request)}: a booking id names one booking, use a new one for another booking`,
  );
}

/** The recorded answer again: the same text, and for a failure the same status. */
export function replay(record: BookingRecord): string {
  if (record.status === 200) return record.message;
  throw new restate.TerminalError(record.message, { errorCode: record.status });
}
