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
