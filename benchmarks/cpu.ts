import { CLOCK_TICKS_PER_S, descendantsOf, statOf } from "../harness/system/proc.js";

/** Node names its main thread, and so its process, "MainThread": the Worker's Miniflare host reads as node. */
const PROGRAM_NAMES: Record<string, string> = { MainThread: "node" };

function sample(pid: number): { name: string; seconds: number } | undefined {
  const stat = statOf(pid);
  return stat && { name: PROGRAM_NAMES[stat.comm] ?? stat.comm, seconds: stat.cpuTicks / CLOCK_TICKS_PER_S };
}

/**
 * Measures the CPU this process's descendants use, by program name (restate-server, workerd, locust…), polling /proc so
 * that processes which start and end during the measurement are counted too (up to its last poll), and this process's
 * own as `nexus` (the gateway stand-in and the harness).
 */
export class CpuMeter {
  private readonly seen = new Map<number, { name: string; first: number; last: number }>();
  private readonly timer: NodeJS.Timeout;
  private readonly started = Date.now();
  private readonly own = process.cpuUsage();

  constructor(intervalMs = 250) {
    this.poll(false);
    this.timer = setInterval(() => this.poll(true), intervalMs);
  }

  private poll(later: boolean): void {
    for (const pid of descendantsOf(process.pid)) {
      const s = sample(pid);
      if (!s) continue;
      const known = this.seen.get(pid);
      if (known) known.last = s.seconds;
      else this.seen.set(pid, { name: s.name, first: later ? 0 : s.seconds, last: s.seconds });
    }
  }

  /** Stops polling and returns each program's share of one core over the measurement (1.0 = one full core). */
  stop(): Record<string, number> {
    this.poll(true);
    clearInterval(this.timer);
    const elapsed = (Date.now() - this.started) / 1000;
    const shares: Record<string, number> = {};
    for (const { name, first, last } of this.seen.values()) shares[name] = (shares[name] ?? 0) + (last - first) / elapsed;
    const own = process.cpuUsage(this.own);
    shares.nexus = (own.user + own.system) / 1e6 / elapsed;
    for (const name of Object.keys(shares)) shares[name] = Math.round(shares[name]! * 100) / 100;
    return shares;
  }
}
