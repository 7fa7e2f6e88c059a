import type { Profiler } from "node:inspector";
import { InspectorSession } from "./inspector.js";

/** A CPU profile being recorded in a Worker's isolate. */
export interface RecordingProfile {
  /** Ends the recording and returns the profile (Chrome DevTools' .cpuprofile format). */
  stop(): Promise<Profiler.Profile>;
}

/**
 * Starts recording a CPU profile of the Worker behind Miniflare's inspector on `inspectorPort`,
 * sampling every `intervalUs` microseconds; throws, saying what to check, when the inspector cannot be reached.
 */
export async function startCpuProfile(inspectorPort: number, intervalUs = 200): Promise<RecordingProfile> {
  const session = await InspectorSession.ofWorker(inspectorPort);
  await session.send("Profiler.enable");
  await session.send("Profiler.setSamplingInterval", { interval: intervalUs });
  await session.send("Profiler.start");
  return {
    async stop() {
      try {
        const { profile } = await session.send<{ profile: Profiler.Profile }>("Profiler.stop");
        return profile;
      } finally {
        session.close();
      }
    },
  };
}
