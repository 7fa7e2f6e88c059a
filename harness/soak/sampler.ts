import { blockCacheUse } from "../restate/metrics.js";
import { managedProcesses } from "../system/process.js";
import { RESTATE_SERVER, type ResourceSample } from "../store/soak-record.js";
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

/**
 * Samples the harness's processes every `everyMs` (RSS, and CPU since the last sample of the same pid), times relative
 * to `epochMs`; restate-server's sample also carries its RocksDB block cache in use, read from `restateMetricsUrl`.
 */
export class ResourceSampler {
  readonly samples: ResourceSample[] = [];
  private readonly previous = new Map<number, { ticks: number; at: number }>();
  private timer: NodeJS.Timeout | undefined;
  private sampling: Promise<unknown> | undefined;

  constructor(private readonly options: { everyMs: number; epochMs: number; restateMetricsUrl?: string }) {}

  /** Takes a sample now and then every `everyMs` until `stop` (a round still reading when the next is due skips that one). */
  start(): void {
    this.tick();
    this.timer = setInterval(() => this.tick(), this.options.everyMs);
  }

  /** Stops sampling, after the round under way and one last round. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.sampling;
    await this.sampleNow();
  }

  private tick(): void {
    if (this.sampling !== undefined) return;
    this.sampling = this.sampleNow().finally(() => {
      this.sampling = undefined;
    });
  }

  /** Samples every process once; returns this round's samples (also kept in `samples`). */
  async sampleNow(): Promise<ResourceSample[]> {
    const now = Date.now();
    const at = now - this.options.epochMs;
    const round = processesToSample().map(({ role, proc }): ResourceSample => {
      const before = this.previous.get(proc.pid);
      this.previous.set(proc.pid, { ticks: proc.cpuTicks, at: now });
      // Ticks are 10 ms: over less than a second the share is mostly rounding, so it is left out.
      const cpu = before && now - before.at >= 1_000 ? (proc.cpuTicks - before.ticks) / CLOCK_TICKS_PER_S / ((now - before.at) / 1000) : null;
      return { at, role, pid: proc.pid, rssMiB: Math.round((proc.rssKiB / 1024) * 10) / 10, cpu: cpu === null ? null : Math.round(cpu * 1000) / 1000 };
    });
    const restate = round.find((s) => s.role === RESTATE_SERVER);
    const cacheBytes = restate === undefined ? undefined : await blockCacheUse(this.options.restateMetricsUrl);
    if (restate !== undefined && cacheBytes !== undefined) restate.blockCacheMiB = Math.round((cacheBytes / 2 ** 20) * 10) / 10;
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
