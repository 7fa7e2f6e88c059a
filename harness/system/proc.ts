import { readdirSync, readFileSync } from "node:fs";

/** Clock ticks per second of /proc/<pid>/stat's utime and stime (USER_HZ: 100 on Linux x64 and arm64). */
export const CLOCK_TICKS_PER_S = 100;

/** One process as /proc/<pid>/stat shows it: parent, state, command name and CPU used so far. */
export interface Stat {
  pid: number;
  ppid: number;
  /** Its process group. */
  pgrp: number;
  state: string;
  comm: string;
  /** utime + stime, in clock ticks. */
  cpuTicks: number;
}

/** One process with its resident memory (VmRSS of /proc/<pid>/status). */
export interface ProcStat extends Stat {
  /** VmRSS in KiB (0 for a process without memory of its own, e.g. a zombie). */
  rssKiB: number;
}

/** Parses the text of /proc/<pid>/stat: the comm is between the first "(" and the last ")", fields follow it. */
export function parseStat(text: string): Stat {
  const open = text.indexOf("(");
  const close = text.lastIndexOf(")");
  const fields = text.slice(close + 2).split(" ");
  // After the comm: state (field 3), ppid (4), pgrp (5), … utime (14), stime (15).
  return {
    pid: Number(text.slice(0, open).trim()),
    ppid: Number(fields[1]),
    pgrp: Number(fields[2]),
    state: fields[0] ?? "?",
    comm: text.slice(open + 1, close),
    cpuTicks: Number(fields[11]) + Number(fields[12]),
  };
}

/** The VmRSS line of /proc/<pid>/status, in KiB (0 when absent). */
export function parseRssKiB(status: string): number {
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  return match ? Number(match[1]) : 0;
}

/** /proc/<pid>/stat of a process (Linux); undefined when it is gone. */
export function statOf(pid: number): Stat | undefined {
  try {
    return parseStat(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return undefined;
  }
}

/** /proc/<pid>/stat and its resident memory; undefined when the process is gone. */
export function readProc(pid: number): ProcStat | undefined {
  try {
    const stat = parseStat(readFileSync(`/proc/${pid}/stat`, "utf8"));
    return { ...stat, rssKiB: parseRssKiB(readFileSync(`/proc/${pid}/status`, "utf8")) };
  } catch {
    return undefined;
  }
}

/** True while `pid` exists and is not a zombie. */
export function isAlive(pid: number): boolean {
  const stat = statOf(pid);
  return stat !== undefined && stat.state !== "Z";
}

/**
 * True while a process of group `pgid` lives; a zombie does not count (it holds no memory, socket or file any more,
 * only its entry until a parent reaps it, which for an orphan is init's, at init's pace).
 */
export function groupAlive(pgid: number): boolean {
  return liveProcesses().some((stat) => stat.pgrp === pgid);
}

/** Every process /proc shows now, zombies left out. */
function liveProcesses(): Stat[] {
  const found: Stat[] = [];
  for (const entry of readdirSync("/proc")) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    const stat = statOf(pid);
    if (stat && stat.state !== "Z") found.push(stat);
  }
  return found;
}

/** Every live descendant of `pid` (children, grandchildren, …), read from /proc. */
export function descendantsOf(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const stat of liveProcesses()) children.set(stat.ppid, [...(children.get(stat.ppid) ?? []), stat.pid]);
  const found: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    for (const child of children.get(queue.shift()!) ?? []) {
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}
