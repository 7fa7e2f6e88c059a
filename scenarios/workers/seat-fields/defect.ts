import type * as restate from "@restatedev/restate-sdk-cloudflare-workers/fetch";

/** The bugs this test Worker can be told to have (binding SEAT_FIELDS_DEFECT), so a red run proves the gates see them. */
export const DEFECTS = ["ignore-holds", "ignore-booking-id"] as const;
export type Defect = (typeof DEFECTS)[number];

/** True when `value` names a known defect. */
export function isDefect(value: string): value is Defect {
  return (DEFECTS as readonly string[]).includes(value);
}

/** The defect the Worker serving this invocation was started with; undefined (the default): none, a correct Worker. */
export function defectOf(ctx: restate.Context): Defect | undefined {
  const value = (ctx.request().extraArgs[0] as { SEAT_FIELDS_DEFECT?: string } | undefined)?.SEAT_FIELDS_DEFECT?.trim() ?? "";
  return isDefect(value) ? value : undefined;
}
