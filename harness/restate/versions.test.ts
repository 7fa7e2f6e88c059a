import { describe, expect, it } from "vitest";
import { newSigningKeys, signingServerEnv } from "./signing.js";
import { isReleaseVersion, releaseOlderThan } from "./versions.js";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

describe("Restate releases", () => {
  it("takes only a release number as a version to fetch", () => {
    expect(["1.6.2", "1.7.12", "10.0.0"].every(isReleaseVersion)).toBe(true);
    expect(["1.6", "v1.6.2", "1.6.2; rm -rf /", "latest", "1.6.2-rc.1", ""].some(isReleaseVersion)).toBe(false);
  });

  it("orders releases by major and minor, and counts an unknown version as current", () => {
    expect(releaseOlderThan("1.6.2", 1, 7)).toBe(true);
    expect(releaseOlderThan("0.9.0", 1, 7)).toBe(true);
    expect(releaseOlderThan("1.7.0", 1, 7)).toBe(false);
    expect(releaseOlderThan("1.10.1", 1, 7)).toBe(false);
    expect(releaseOlderThan("2.0.0", 1, 7)).toBe(false);
    expect(releaseOlderThan("custom", 1, 7)).toBe(false);
  });

  it("names the signing key setting where each release reads it", () => {
    const keys = newSigningKeys(mkdtempSync(join(tmpdir(), "nexus-signing-")));
    expect(Object.keys(signingServerEnv(keys, "1.6.2"))).toEqual(["RESTATE_REQUEST_IDENTITY_PRIVATE_KEY_PEM_FILE"]);
    expect(Object.keys(signingServerEnv(keys, "1.7.12"))).toEqual(["RESTATE_WORKER__INVOKER__REQUEST_IDENTITY_PRIVATE_KEY_PEM_FILE"]);
    expect(Object.keys(signingServerEnv(keys))).toEqual(["RESTATE_WORKER__INVOKER__REQUEST_IDENTITY_PRIVATE_KEY_PEM_FILE"]);
  });
});
