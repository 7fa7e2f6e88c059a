import type { WorkerConfig } from "./config.js";

/** The named steps of a checkout at which a test may crash the Worker. */
export type CrashPoint = "after-reserve" | "after-charge-answer" | "after-confirm" | "during-email";

/**
 * Test builds only: when NEXUS_CRASHPOINT_URL is set (production never sets it), tells the harness that `bookingId`
 * reached `point` and waits for its answer; the harness may kill workerd instead of answering. Without the setting
 * it returns at once. It runs again on every replay that passes the point; the harness crashes each booking once.
 */
export async function crashpoint(config: WorkerConfig, point: CrashPoint, bookingId: string): Promise<void> {
  if (config.crashpointUrl === undefined) return;
  await fetch(config.crashpointUrl, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ point, bookingId }),
  }).catch(() => undefined);
}
