import type { Profiler } from "node:inspector";
import { describe, expect, it } from "vitest";
import { bundleRegions, partOfModule, summarizeProfile } from "./profile.js";

const BUNDLE = [
  "var x = 1;",
  "// node_modules/@restatedev/restate-sdk-core/dist/serde_api.js",
  "function serialize() {}",
  "// node_modules/zod/v4/core/parse.js",
  "function parse() {}",
  "// worker/booking.ts",
  "function book() {}",
].join("\n");

/** A frame of the profile: `url` and 0-based `line` place it. */
function node(id: number, functionName: string, url = "", line = 0): Profiler.ProfileNode {
  return { id, callFrame: { functionName, url, lineNumber: line, columnNumber: 0, scriptId: "1" } };
}

describe("a Worker's CPU profile, summarized", () => {
  it("finds the bundle's modules by esbuild's path comments, and names their packages", () => {
    expect(bundleRegions(BUNDLE)).toEqual([
      { line: 1, module: "node_modules/@restatedev/restate-sdk-core/dist/serde_api.js" },
      { line: 3, module: "node_modules/zod/v4/core/parse.js" },
      { line: 5, module: "worker/booking.ts" },
    ]);
    expect(partOfModule("node_modules/@restatedev/restate-sdk-core/dist/serde_api.js")).toBe("@restatedev/restate-sdk-core");
    expect(partOfModule("node_modules/zod/v4/core/parse.js")).toBe("zod");
    expect(partOfModule("../src/index.ts")).toBe("the Worker's own code");
    expect(bundleRegions("var a;\n//# sourceMappingURL=index.js.map")).toEqual([]);
  });

  it("gives each sample the time to the next one, per part and per function, idle apart", () => {
    const profile: Profiler.Profile = {
      nodes: [
        node(1, "(root)"),
        node(2, "(idle)"),
        node(3, "serialize", "file:///bundle/index.js", 2),
        node(4, "parse", "file:///bundle/index.js", 4),
        node(5, "book", "file:///bundle/index.js", 6),
        node(6, "$decode", "wasm://wasm/0a1b2c", 0),
        node(7, "(garbage collector)"),
        node(8, "stringify"),
      ],
      startTime: 0,
      endTime: 10_000,
      // Samples every 1,000 µs: each one's time is the next delta, so the last sample counts nothing.
      samples: [2, 2, 3, 4, 4, 5, 6, 6, 6, 7, 8, 1],
      timeDeltas: [0, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000],
    };
    const summary = summarizeProfile(profile, bundleRegions(BUNDLE), "index.js", 3);
    expect(summary.sampledMs).toBe(11);
    expect(summary.busyMs).toBe(9);
    expect(summary.parts).toEqual([
      { part: "wasm", ms: 3 },
      { part: "zod", ms: 2 },
      { part: "@restatedev/restate-sdk-core", ms: 1 },
      { part: "the Worker's own code", ms: 1 },
      { part: "garbage collector", ms: 1 },
      { part: "JS builtins", ms: 1 },
    ]);
    expect(summary.topFunctions).toEqual([
      { name: "$decode 0a1b2c:1", part: "wasm", selfMs: 3 },
      { name: "parse index.js:5", part: "zod", selfMs: 2 },
      { name: "serialize index.js:3", part: "@restatedev/restate-sdk-core", selfMs: 1 },
    ]);
  });

  it("lets a builtin's caller pay for it: the SDK's logger for console.info and workerd's node-internal formatting", () => {
    const logger = { ...node(2, "log", "index.js", 2), children: [3] };
    const info = { ...node(3, "info"), children: [4] };
    const profile: Profiler.Profile = {
      nodes: [{ ...node(1, "(root)"), children: [2, 5] }, logger, info, node(4, "formatLog", "node-internal:internal_inspect", 10), node(5, "JSON.parse")],
      startTime: 0,
      endTime: 4_000,
      samples: [3, 4, 4, 5, 1],
      timeDeltas: [0, 1000, 1000, 1000, 1000],
    };
    const summary = summarizeProfile(profile, bundleRegions(BUNDLE), "index.js");
    expect(summary.parts).toEqual([
      { part: "@restatedev/restate-sdk-core", ms: 3 },
      { part: "JS builtins", ms: 1 },
    ]);
    expect(summary.topFunctions.map((f) => f.name)).toEqual([
      "formatLog node-internal:internal_inspect:11 (builtin, from log index.js:3)",
      "info (builtin, from log index.js:3)",
      "JSON.parse (builtin)",
    ]);
  });

  it("counts a sample before a gap (workerd samples only while the isolate runs) as twice the usual interval at most", () => {
    const profile: Profiler.Profile = {
      nodes: [node(1, "handler", "file:///bundle/index.js", 3), node(2, "(program)")],
      startTime: 0,
      endTime: 60_000,
      samples: [1, 1, 2, 1, 1],
      timeDeltas: [0, 300, 50_000, 300, 300],
    };
    expect(summarizeProfile(profile, [], "index.js")).toMatchObject({
      // 300 + 600 (not 50,000) + 300 µs of the handler's, 300 of (program)'s; the last sample counts nothing.
      sampledMs: 1.5,
      parts: [
        { part: "script index.js", ms: 1.2 },
        { part: "workerd and V8 (native)", ms: 0.3 },
      ],
    });
  });

  it("measures the request signature's check with the wasm it calls, which its own parts count as wasm", () => {
    const verify = { ...node(2, "verify_identity", "file:///bundle/index.js", 2), children: [3] };
    const profile: Profiler.Profile = {
      nodes: [
        { ...node(1, "handle", "file:///bundle/index.js", 4), children: [2, 4] },
        verify,
        node(3, "", "wasm://wasm/0a1b2c"),
        node(4, "decode", "file:///bundle/index.js", 4),
      ],
      startTime: 0,
      endTime: 5_000,
      samples: [1, 2, 3, 3, 4, 1],
      timeDeltas: [0, 1000, 1000, 1000, 1000, 1000],
    };
    const summary = summarizeProfile(profile, bundleRegions(BUNDLE), "index.js");
    // verify_identity's own sample and its two wasm samples; the handler's and decode's are not under it.
    expect(summary.steps).toEqual([{ step: "the request signature's check (the SDK's verify_identity)", ms: 3 }]);
    expect(summary.parts).toContainEqual({ part: "wasm", ms: 2 });
  });

  it("names a frame of another script by its file when the bundle has no regions", () => {
    const profile: Profiler.Profile = {
      nodes: [node(1, "handler", "file:///bundle/index.js", 3), node(2, "helper", "file:///bundle/chunk.js", 1)],
      startTime: 0,
      endTime: 2_000,
      samples: [1, 2, 1],
      timeDeltas: [0, 500, 1500],
    };
    expect(summarizeProfile(profile, [], "index.js").parts).toEqual([
      { part: "script chunk.js", ms: 1.5 },
      { part: "script index.js", ms: 0.5 },
    ]);
  });
});
