import { parseArgs } from "node:util";
import { describe, expect, it } from "vitest";
import { ExitCode, exitCodeOf, NexusError } from "./errors.js";

describe("exitCodeOf", () => {
  it("gives a NexusError its own code, a malformed command line `usage`, anything else `gateFailed`", () => {
    expect(exitCodeOf(new NexusError("portInUse", "port 9070 in use"))).toBe(ExitCode.portInUse);
    let parseError: unknown;
    try {
      parseArgs({ args: ["--no-such-option"], options: {} });
    } catch (error) {
      parseError = error;
    }
    expect(parseError).toBeInstanceOf(TypeError);
    expect(exitCodeOf(parseError)).toBe(ExitCode.usage);
    expect(exitCodeOf(new TypeError("x is not a function"))).toBe(ExitCode.gateFailed);
    expect(exitCodeOf("a thrown string")).toBe(ExitCode.gateFailed);
  });
});
