import { TerminalError } from "@restatedev/restate-sdk-cloudflare-workers/fetch";

/** 409: the seat is not in a state that allows the request. The text keeps the original's wording. */
export function conflict(message: string): TerminalError {
  return new TerminalError(message, { errorCode: 409 });
}

/** 400: the request itself is malformed. */
export function badRequest(message: string): TerminalError {
  return new TerminalError(message, { errorCode: 400 });
}

/** 404: there is no such object (the SeatMap has one, `global`). */
export function notFound(message: string): TerminalError {
  return new TerminalError(message, { errorCode: 404 });
}

/** 402: the card was declined; the original's clients look for "Payment failed" and "Payment declined". */
export function paymentDeclined(detail: string): TerminalError {
  return new TerminalError(`Payment failed: Payment declined: ${detail}`, { errorCode: 402 });
}

/** 503: the gateway kept failing after bounded retries; clients look for "Payment failed" and "Gateway timeout". */
export function gatewayUnavailable(detail: string): TerminalError {
  return new TerminalError(`Payment failed: Payment declined: Gateway timeout (${detail})`, { errorCode: 503 });
}

/** Messages the original's clients match on. */
export const messages = {
  sold: "Ticket already sold",
  held: "Ticket is currently reserved",
  notHeld: "Ticket is not reserved by this booking (the hold may have expired)",
} as const;
