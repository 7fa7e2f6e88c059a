import { InspectorSession } from "./inspector.js";

/** The memory of the Worker's isolate at one moment, in bytes, as V8 reports it through the inspector. */
export interface IsolateMemory {
  /** JS heap in use and reserved, as found (garbage not yet collected included). */
  heapUsedBytes: number;
  heapTotalBytes: number;
  /** JS heap in use after the full garbage collection V8 runs to find the live objects: what the Worker keeps. */
  liveHeapBytes: number;
  /** Linear memory of every WebAssembly instance in the isolate (the Restate SDK's core runs as one); it only grows. */
  wasmBytes: number;
  /** The isolate's execution context: a new one after every restart of the Worker. */
  contextId: string;
}

/** A reading that takes longer than this is abandoned (its connection closed): a sample missed, never a soak that hangs. */
const READ_TIMEOUT_MS = 10_000;

interface HeapUsage {
  usedSize: number;
  totalSize: number;
}

/**
 * Reads the memory of the Worker behind the inspector on `inspectorPort`: its heap as found, then every
 * WebAssembly.Memory found by `Runtime.queryObjects` (which collects all garbage first, so the heap read after it is
 * the live heap). Costs one full GC of the isolate. Rejects when the Worker cannot be reached (e.g. while it restarts)
 * or does not answer within 10 s.
 */
export async function readIsolateMemory(inspectorPort: number): Promise<IsolateMemory> {
  const session = await InspectorSession.ofWorker(inspectorPort);
  const deadline = setTimeout(() => session.close(), READ_TIMEOUT_MS);
  try {
    const created = session.nextEvent<{ context: { id: number; uniqueId: string } }>("Runtime.executionContextCreated");
    await session.send("Runtime.enable");
    const { context } = await created;
    const found = await session.send<HeapUsage>("Runtime.getHeapUsage");
    const group = "nexus-isolate-memory";
    const prototype = await session.send<{ result: { objectId: string } }>("Runtime.evaluate", {
      expression: "WebAssembly.Memory.prototype",
      contextId: context.id,
      objectGroup: group,
    });
    const memories = await session.send<{ objects: { objectId: string } }>("Runtime.queryObjects", {
      prototypeObjectId: prototype.result.objectId,
      objectGroup: group,
    });
    const wasm = await session.send<{ result: { value: number } }>("Runtime.callFunctionOn", {
      objectId: memories.objects.objectId,
      functionDeclaration: "function () { return this.reduce((sum, memory) => sum + memory.buffer.byteLength, 0); }",
      returnByValue: true,
    });
    await session.send("Runtime.releaseObjectGroup", { objectGroup: group });
    const live = await session.send<HeapUsage>("Runtime.getHeapUsage");
    return {
      heapUsedBytes: found.usedSize,
      heapTotalBytes: found.totalSize,
      liveHeapBytes: live.usedSize,
      wasmBytes: wasm.result.value,
      contextId: context.uniqueId,
    };
  } finally {
    clearTimeout(deadline);
    session.close();
  }
}
