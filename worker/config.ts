import type { Context } from "@restatedev/restate-sdk-cloudflare-workers/fetch";
import { BOOKING_DESIGNS, type BookingDesign } from "./contract.js";

/** The Worker's environment (wrangler `vars`, Miniflare bindings). Every value is optional text. */
export interface WorkerEnv {
  /** How a checkout runs: "seat-owned" (the Ticket's exclusive handler runs the whole booking, default) or "saga" (the Booking runs reserve → charge → confirm against the Ticket's timed hold). Read when the Worker loads. */
  BOOKING_DESIGN?: string;
  /** Charge endpoint of the payment gateway; unset: the payment is simulated in the Worker. */
  PAYMENT_URL?: string;
  /** How long a hold lasts before it is released, in ms (default 15 minutes). */
  HOLD_TTL_MS?: string;
  /** Attempts at a charge that fails transiently (503, timeout, network) before giving up. */
  PAYMENT_MAX_ATTEMPTS?: string;
  /** First pause between charge attempts in ms; doubles each time. */
  PAYMENT_RETRY_INTERVAL_MS?: string;
  /** Upper bound of the whole retry window of a charge in ms. */
  PAYMENT_MAX_RETRY_MS?: string;
  /** Time allowed for one gateway call in ms. */
  PAYMENT_TIMEOUT_MS?: string;
  /** First pause in ms between lookups of a charge whose outcome the retries left unknown; doubles up to 8 times it. */
  PAYMENT_RECONCILE_INTERVAL_MS?: string;
  /** Latency of the simulated payment (no PAYMENT_URL) in ms; the proof of concept used 500. */
  SIMULATED_PAYMENT_DELAY_MS?: string;
  /** Latency of the simulated confirmation email in ms; the proof of concept used 200. */
  EMAIL_DELAY_MS?: string;
  /** Demo: reset the game once this many seats are SOLD; unset or 0: never. */
  AUTO_RESET_AT?: string;
  /** "true": serve Restate in bidirectional (streaming) mode, one request per invocation; default request-response. */
  RESTATE_BIDIRECTIONAL?: string;
  /** Demo: "true" keeps the proof of concept's public API (Ticket reserve/confirm/release/cleanup, SeatMap set/resetAll/reset, GameManager/reset callable through the ingress); default: private to Restate. */
  PUBLIC_DEMO_API?: string;
  /** "true" serves the proof of concept's `POST /api/mock-payment` route; default: off (404). */
  MOCK_PAYMENT_ROUTE?: string;
  /** Restate's request-identity public keys (`publickeyv1_…`, comma-separated): only requests Restate signed are served. */
  RESTATE_IDENTITY_KEYS?: string;
  /** Test builds only (production never sets it): the harness's crash-point URL, called at named steps of a checkout. */
  NEXUS_CRASHPOINT_URL?: string;
}

/** Settings the handlers use, parsed from the environment with defaults. */
export interface WorkerConfig {
  design: BookingDesign;
  paymentUrl: string | undefined;
  holdTtlMs: number;
  paymentMaxAttempts: number;
  paymentRetryIntervalMs: number;
  paymentMaxRetryMs: number;
  paymentTimeoutMs: number;
  paymentReconcileIntervalMs: number;
  simulatedPaymentDelayMs: number;
  emailDelayMs: number;
  autoResetAt: number;
  crashpointUrl: string | undefined;
  bidirectional: boolean;
  publicDemoApi: boolean;
  mockPaymentRoute: boolean;
  identityKeys: string[];
}

function intOr(text: string | undefined, fallback: number): number {
  if (text === undefined || text.trim() === "") return fallback;
  const value = Number(text);
  return Number.isFinite(value) && value >= 0 ? Math.floor(value) : fallback;
}

/** Parses an environment into a config; a missing or unparsable value takes its default. */
export function parseConfig(env: WorkerEnv | undefined): WorkerConfig {
  const e = env ?? {};
  const design = BOOKING_DESIGNS.find((d) => d === e.BOOKING_DESIGN?.trim()) ?? "seat-owned";
  return {
    design,
    paymentUrl: e.PAYMENT_URL?.trim() ? e.PAYMENT_URL.trim() : undefined,
    holdTtlMs: intOr(e.HOLD_TTL_MS, 15 * 60 * 1000),
    paymentMaxAttempts: Math.max(1, intOr(e.PAYMENT_MAX_ATTEMPTS, 4)),
    paymentRetryIntervalMs: intOr(e.PAYMENT_RETRY_INTERVAL_MS, 500),
    paymentMaxRetryMs: intOr(e.PAYMENT_MAX_RETRY_MS, 10_000),
    paymentTimeoutMs: Math.max(1, intOr(e.PAYMENT_TIMEOUT_MS, 5_000)),
    paymentReconcileIntervalMs: Math.max(1, intOr(e.PAYMENT_RECONCILE_INTERVAL_MS, 1_000)),
    simulatedPaymentDelayMs: intOr(e.SIMULATED_PAYMENT_DELAY_MS, 500),
    emailDelayMs: intOr(e.EMAIL_DELAY_MS, 200),
    autoResetAt: intOr(e.AUTO_RESET_AT, 0),
    crashpointUrl: e.NEXUS_CRASHPOINT_URL?.trim() ? e.NEXUS_CRASHPOINT_URL.trim() : undefined,
    bidirectional: e.RESTATE_BIDIRECTIONAL?.trim() === "true",
    publicDemoApi: e.PUBLIC_DEMO_API?.trim() === "true",
    mockPaymentRoute: e.MOCK_PAYMENT_ROUTE?.trim() === "true",
    identityKeys: (e.RESTATE_IDENTITY_KEYS ?? "")
      .split(",")
      .map((k) => k.trim())
      .filter((k) => k !== ""),
  };
}

/** The config of the Worker serving this invocation (Workers pass the env as the first extra argument). */
export function configOf(ctx: Context): WorkerConfig {
  return parseConfig(ctx.request().extraArgs[0] as WorkerEnv | undefined);
}
