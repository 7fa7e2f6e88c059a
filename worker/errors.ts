import { TerminalError } from "@restatedev/restate-sdk-cloudflare-workers/fetch";
import { messages } from "./contract.js";

/** 409: the seat is not in a state that allows the request. The text keeps the proof of concept's wording. */
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

/** 422: a well-formed request that names a booking made with other parameters; it changes nothing. */
export function unprocessable(message: string): TerminalError {
  return new TerminalError(message, { errorCode: 422 });
}

/** 402: the card was declined; the proof of concept's clients look for "Payment failed" and "Payment declined". */
export function paymentDeclined(detail: string): TerminalError {
  return new TerminalError(`Payment failed: Payment declined: ${detail}`, { errorCode: 402 });
}

/**
 * 503: the gateway kept failing or never answered, and it confirms it took no money; clients look for "Payment
 * failed" and "Gateway timeout".
 */
export function gatewayUnavailable(detail: string): TerminalError {
  return new TerminalError(`Payment failed: Gateway timeout (${detail}); ${messages.noMoneyTaken}`, { errorCode: 503 });
}

/** 502: the gateway refused the charge itself (not the card); nothing was charged. */
export function gatewayRefused(detail: string): TerminalError {
  return new TerminalError(`Payment failed: the payment gateway refused the charge (${detail}); ${messages.noMoneyTaken}`, { errorCode: 502 });
}
