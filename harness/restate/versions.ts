import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

function versionOf(pkg: string): string {
  try {
    return (JSON.parse(readFileSync(require.resolve(`${pkg}/package.json`), "utf8")) as { version: string }).version;
  } catch {
    return "unknown";
  }
}

/** Versions of the parts a run used, for its spec and report. */
export function versions(restate: string): Record<string, string> {
  return {
    restate,
    sdk: versionOf("@restatedev/restate-sdk-cloudflare-workers"),
    miniflare: versionOf("miniflare"),
    workerd: versionOf("workerd"),
    wrangler: versionOf("wrangler"),
    node: process.version,
  };
}

/** Whether `version` names a release (digits and dots, e.g. 1.6.2): anything else is refused before a fetch. */
export function isReleaseVersion(version: string): boolean {
  return /^\d+\.\d+\.\d+$/.test(version);
}

/** Whether a server of `version` is older than `major.minor` (an unknown or custom version counts as current). */
export function releaseOlderThan(version: string, major: number, minor: number): boolean {
  const match = /^(\d+)\.(\d+)\./.exec(version);
  if (!match) return false;
  const [vMajor, vMinor] = [Number(match[1]), Number(match[2])];
  return vMajor < major || (vMajor === major && vMinor < minor);
}
