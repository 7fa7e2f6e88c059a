import { readFile } from "node:fs/promises";
import { basename } from "node:path";
import type { Profiler, Runtime } from "node:inspector";
import type { ProfileSummary } from "../harness/store/records.js";
import type { WorkerBundle } from "../harness/worker/bundle.js";

/** Where each source module starts in a bundle, by 0-based line: esbuild's `// path` comment before each module. */
export interface BundleRegion {
  line: number;
  module: string;
}

const MODULE_COMMENT = /^\/\/ ([^\s]+\.(?:m?js|cjs|m?ts|tsx?))$/;

/** The bundle's regions, in order, from its source text (none when it was minified without them). */
export function bundleRegions(source: string): BundleRegion[] {
  const regions: BundleRegion[] = [];
  for (const [line, text] of source.split("\n").entries()) {
    const match = MODULE_COMMENT.exec(text);
    if (match) regions.push({ line, module: match[1]! });
  }
  return regions;
}

/** A Worker whose isolate a cell profiles: its inspector's port, its bundle's entry file name and module regions. */
export interface ProfiledWorker {
  inspectorPort: number;
  bundleName: string;
  regions: BundleRegion[];
}

/** What profiling the Worker `bundle` runs, listening on `inspectorPort`, needs: read once per Worker, not per cell. */
export async function profiledWorker(inspectorPort: number, bundle: WorkerBundle): Promise<ProfiledWorker> {
  return { inspectorPort, bundleName: basename(bundle.entry), regions: bundleRegions(await readFile(bundle.entry, "utf8")) };
}

/** The part a bundled module belongs to: its package under node_modules, else the Worker's own code. */
export function partOfModule(module: string): string {
  const inPackage = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(module);
  return inPackage ? inPackage[1]! : "the Worker's own code";
}

/** V8's pseudo-frames, by the part they stand for. */
const PSEUDO_FRAMES: Record<string, string> = {
  "(idle)": "(idle)",
  "(program)": "workerd and V8 (native)",
  "(root)": "workerd and V8 (native)",
  "(garbage collector)": "garbage collector",
};

/** The part a frame with a script belongs to: wasm, a bundle region's package, or its script. */
function partOfScriptFrame(frame: Runtime.CallFrame, regions: BundleRegion[], bundleName: string): string {
  if (frame.url.startsWith("wasm://")) return "wasm";
  if (basename(frame.url) !== bundleName || regions.length === 0) return `script ${basename(frame.url)}`;
  let region: BundleRegion | undefined;
  for (const candidate of regions) {
    if (candidate.line > frame.lineNumber) break;
    region = candidate;
  }
  return region === undefined ? "the bundle's prelude" : partOfModule(region.module);
}

const ms = (us: number) => Math.round(us / 100) / 10;

/** A frame of the runtime's own code: V8's builtins (no script) and workerd's Node.js compatibility layer. */
const isBuiltin = (frame: Runtime.CallFrame) => frame.url === "" || /^[a-z]+-internal:/.test(frame.url);

const nameOf = (frame: Runtime.CallFrame) =>
  `${frame.functionName || "(anonymous)"}${frame.url === "" ? "" : ` ${basename(frame.url)}:${frame.lineNumber + 1}`}`;

/** Each node's caller in the profile's call tree, by the node's id. */
function parentsOf(profile: Profiler.Profile): Map<number, Profiler.ProfileNode> {
  const parentOf = new Map<number, Profiler.ProfileNode>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node);
  return parentOf;
}

/**
 * Steps of a Worker request that run as one named function and what it calls (the SDK's wasm included, whose own
 * functions carry no names), measured with everything under them.
 */
const REQUEST_STEPS: ReadonlyArray<{ step: string; functionName: string }> = [
  { step: "the request signature's check (the SDK's verify_identity)", functionName: "verify_identity" },
];

/** The REQUEST_STEPS a node runs under (itself or a caller is the step's function), by the node's id. */
function stepsOf(profile: Profiler.Profile, parentOf: Map<number, Profiler.ProfileNode>): Map<number, string[]> {
  const steps = new Map<number, string[]>();
  for (const node of profile.nodes) {
    const under: string[] = [];
    for (let at: Profiler.ProfileNode | undefined = node; at !== undefined; at = parentOf.get(at.id)) {
      for (const { step, functionName } of REQUEST_STEPS) if (at.callFrame.functionName === functionName && !under.includes(step)) under.push(step);
    }
    steps.set(node.id, under);
  }
  return steps;
}

/**
 * Names and places every node of a profile: a pseudo-frame by what it stands for; a frame with a script by its part;
 * a builtin (V8's console, JSON, crypto, streams…, or workerd's `node-internal:` code) by its nearest caller with a
 * script, whose part pays for it.
 */
function placeNodes(
  profile: Profiler.Profile,
  parentOf: Map<number, Profiler.ProfileNode>,
  regions: BundleRegion[],
  bundleName: string,
): Map<number, { name: string; part: string }> {
  const placed = new Map<number, { name: string; part: string }>();
  for (const node of profile.nodes) {
    const frame = node.callFrame;
    const pseudo = PSEUDO_FRAMES[frame.functionName];
    if (!isBuiltin(frame)) placed.set(node.id, { name: nameOf(frame), part: partOfScriptFrame(frame, regions, bundleName) });
    else if (pseudo !== undefined) placed.set(node.id, { name: frame.functionName, part: pseudo });
    else {
      let caller = parentOf.get(node.id);
      while (caller !== undefined && isBuiltin(caller.callFrame)) caller = parentOf.get(caller.id);
      const name = `${nameOf(frame)} (builtin${caller === undefined ? "" : `, from ${nameOf(caller.callFrame)}`})`;
      placed.set(node.id, { name, part: caller === undefined ? "JS builtins" : partOfScriptFrame(caller.callFrame, regions, bundleName) });
    }
  }
  return placed;
}

/** The middle of the intervals between samples: how often the profiler sampled while the isolate ran. */
function medianInterval(deltas: number[]): number {
  const sorted = deltas.slice(1).sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/**
 * Summarizes a CPU profile of a Worker: self time per part and per function, and the time of each REQUEST_STEPS step
 * with what it calls; frames of the bundle named `bundleName` are placed by its `regions`, a builtin with its caller.
 * Each sample counts the interval to the next, as DevTools counts it, but at most twice the median interval: workerd
 * takes no samples while its isolate does not run, so a long gap is not the sample's.
 */
export function summarizeProfile(profile: Profiler.Profile, regions: BundleRegion[], bundleName: string, top = 12): ProfileSummary {
  const parentOf = parentsOf(profile);
  const placed = placeNodes(profile, parentOf, regions, bundleName);
  const stepsUnder = stepsOf(profile, parentOf);
  const selfUs = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  const capUs = 2 * medianInterval(deltas);
  for (const [i, id] of samples.entries()) selfUs.set(id, (selfUs.get(id) ?? 0) + Math.min(capUs, Math.max(0, deltas[i + 1] ?? 0)));
  const byPart = new Map<string, number>();
  const byFunction = new Map<string, { name: string; part: string; us: number }>();
  const byStep = new Map<string, number>(REQUEST_STEPS.map(({ step }) => [step, 0]));
  let sampledUs = 0;
  for (const [id, us] of selfUs) {
    const { name, part } = placed.get(id)!;
    sampledUs += us;
    for (const step of stepsUnder.get(id)!) byStep.set(step, byStep.get(step)! + us);
    byPart.set(part, (byPart.get(part) ?? 0) + us);
    const entry = byFunction.get(name) ?? { name, part, us: 0 };
    entry.us += us;
    byFunction.set(name, entry);
  }
  const idleUs = byPart.get("(idle)") ?? 0;
  byPart.delete("(idle)");
  return {
    sampledMs: ms(sampledUs),
    busyMs: ms(sampledUs - idleUs),
    parts: [...byPart]
      .sort((a, b) => b[1] - a[1])
      .map(([part, us]) => ({ part, ms: ms(us) }))
      .filter((p) => p.ms > 0),
    topFunctions: [...byFunction.values()]
      .filter((f) => f.part !== "(idle)" && ms(f.us) > 0)
      .sort((a, b) => b.us - a.us)
      .slice(0, top)
      .map((f) => ({ name: f.name, part: f.part, selfMs: ms(f.us) })),
    steps: [...byStep].map(([step, us]) => ({ step, ms: ms(us) })),
  };
}
