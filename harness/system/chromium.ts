import { existsSync } from "node:fs";

/** Debian's Chromium (never a downloaded browser), or CHROMIUM_PATH. */
export function chromiumPath(): string {
  return process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
}

/** Why the browser test cannot run here, in one line that says how to enable it; undefined when Chromium is there. */
export function chromiumMissing(): string | undefined {
  if (existsSync(chromiumPath())) return undefined;
  return `no Chromium at ${chromiumPath()}: install Debian's chromium package (apt-get install chromium) or set CHROMIUM_PATH`;
}
