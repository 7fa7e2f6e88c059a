import { readdirSync, readFileSync } from "node:fs";

/** Clock ticks per second of /proc/<pid>/stat's utime and stime (USER_HZ: 100 on Linux x64 and arm64). */
export const CLOCK_TICKS_PER_S = 100;

/** One process as /proc shows it: parent, command name, resident memory and CPU used so far. */
export interface ProcStat {
  pid: number;
  ppid: number;
  comm: string;
  /** VmRSS in KiB (0 for a process without memory of its own, e.g. a zombie). */
  rssKiB: number;
  /** utime + stime, in clock ticks. */
  cpuTicks: number;
}

/** Parses the text of /proc/<pid>/stat: the comm is between the first "(" and the last ")", fields follow it. */
export function parseStat(text: string): { pid: number; ppid: number; comm: string; cpuTicks: number } {
  const open = text.indexOf("(");
  const close = text.lastIndexOf(")");
  const fields = text.slice(close + 2).split(" ");
  // After the comm: state (field 3), ppid (4), … utime (14), stime (15).
  return { pid: Number(text.slice(0, open).trim()), comm: text.slice(open + 1, close), ppid: Number(fields[1]), cpuTicks: Number(fields[11]) + Number(fields[12]) };
}

/** The VmRSS line of /proc/<pid>/status, in KiB (0 when absent). */
export function parseRssKiB(status: string): number {
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  return match ? Number(match[1]) : 0;
}

/** Reads /proc/<pid>/stat and status; undefined when the process is gone. */
export function readProc(pid: number): ProcStat | undefined {
  try {
    const stat = parseStat(readFileSync(`/proc/${pid}/stat`, "utf8"));
    return { ...stat, rssKiB: parseRssKiB(readFileSync(`/proc/${pid}/status`, "utf8")) };
  } catch {
    return undefined;
  }
}

/** Every process below `root` (children, their children…), found by walking the ppid of every process in /proc. */
export function descendantsOf(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const { pid, ppid } = parseStat(readFileSync(`/proc/${entry}/stat`, "utf8"));
      children.set(ppid, [...(children.get(ppid) ?? []), pid]);
    } catch {
      // Gone between the listing and the read.
    }
  }
  const found: number[] = [];
  const queue = [...(children.get(root) ?? [])];
  while (queue.length > 0) {
    const pid = queue.shift()!;
    found.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return found;
}
