import { managedProcesses } from "../system/process.js";
import type { ResourceSample } from "../store/soak-record.js";
import { CLOCK_TICKS_PER_S, descendantsOf, readProc, type ProcStat } from "../system/proc.js";

/** The name the Worker's host process is started under (harness/worker/worker-process.ts). */
const WORKER_HOST = "worker (miniflare)";

/**
 * The processes to sample now, by role: this process ("harness"), and each process the harness started and still
 * runs: restate-server as started, the Miniflare host ("worker-host") and, below it, the workerd it runs ("workerd":
 * the host's descendant with the most resident memory). Found from the harness's own pids, never by name.
 */
export function processesToSample(): Array<{ role: string; proc: ProcStat }> {
  const found: Array<{ role: string; proc: ProcStat | undefined }> = [{ role: "harness", proc: readProc(process.pid) }];
  for (const managed of managedProcesses()) {
    if (managed.name !== WORKER_HOST) {
      found.push({ role: managed.name, proc: readProc(managed.pid) });
      continue;
    }
    found.push({ role: "worker-host", proc: readProc(managed.pid) });
    const below = descendantsOf(managed.pid)
      .map(readProc)
      .filter((p): p is ProcStat => p !== undefined);
    found.push({ role: "workerd", proc: below.sort((a, b) => b.rssKiB - a.rssKiB)[0] });
  }
  return found.filter((f): f is { role: string; proc: ProcStat } => f.proc !== undefined && f.proc.rssKiB > 0);
}

/** Samples the harness's processes every `everyMs` (RSS, and CPU since the last sample of the same pid), times relative to `epochMs`. */
export class ResourceSampler {
  readonly samples: ResourceSample[] = [];
  private readonly previous = new Map<number, { ticks: number; at: number }>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: { everyMs: number; epochMs: number }) {}

  /** Takes a sample now and then every `everyMs` until `stop`. */
  start(): void {
    this.sampleNow();
    this.timer = setInterval(() => this.sampleNow(), this.options.everyMs);
  }

  /** Takes a last sample and stops sampling. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.sampleNow();
  }

  /** Samples every process once; returns this round's samples (also kept in `samples`). */
  sampleNow(): ResourceSample[] {
    const now = Date.now();
    const at = now - this.options.epochMs;
    const round = processesToSample().map(({ role, proc }): ResourceSample => {
      const before = this.previous.get(proc.pid);
      this.previous.set(proc.pid, { ticks: proc.cpuTicks, at: now });
      // Ticks are 10 ms: over less than a second the share is mostly rounding, so it is left out.
      const cpu = before && now - before.at >= 1_000 ? (proc.cpuTicks - before.ticks) / CLOCK_TICKS_PER_S / ((now - before.at) / 1000) : null;
      return { at, role, pid: proc.pid, rssMiB: Math.round((proc.rssKiB / 1024) * 10) / 10, cpu: cpu === null ? null : Math.round(cpu * 1000) / 1000 };
    });
    this.samples.push(...round);
    return round;
  }

  /** The latest RSS of each role, e.g. "restate-server 80 MiB, workerd 120 MiB". */
  latestLine(): string {
    const last = new Map<string, number>();
    for (const s of this.samples) last.set(s.role, s.rssMiB);
    return [...last].map(([role, mib]) => `${role} ${Math.round(mib)} MiB`).join(", ");
  }
}
