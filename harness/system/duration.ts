import { NexusError } from "./errors.js";

const UNITS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };

/** Parses a duration such as "90s", "10m", "1h" or "2500ms" (a bare number is seconds); `what` names it in the error. */
export function parseDuration(text: string, what: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/.exec(text);
  if (!match) throw new NexusError("usage", `${what} takes a duration such as 90s, 10m or 1h, not "${text}"`);
  return Math.round(Number(match[1]) * UNITS[match[2] ?? "s"]!);
}
