import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { descendantsOf, groupAlive, parseRssKiB, parseStat, readProc } from "./proc.js";

describe("parseStat", () => {
  it("reads pid, ppid, process group, state, comm (spaces and parentheses included) and utime+stime", () => {
    const text = "4242 (my (odd) name) S 17 4240 4242 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 4 0 123 4567 89";
    expect(parseStat(text)).toEqual({ pid: 4242, ppid: 17, pgrp: 4240, state: "S", comm: "my (odd) name", cpuTicks: 300 });
  });
});

describe("parseRssKiB", () => {
  it("reads VmRSS, and 0 when there is none", () => {
    expect(parseRssKiB("Name:\tnode\nVmRSS:\t  123456 kB\nThreads:\t7\n")).toBe(123456);
    expect(parseRssKiB("Name:\tzombie\n")).toBe(0);
  });
});

describe("readProc and descendantsOf", () => {
  it("read this process, and find none below a process that has no children", () => {
    const self = readProc(process.pid)!;
    expect(self.pid).toBe(process.pid);
    expect(self.ppid).toBe(process.ppid);
    expect(self.rssKiB).toBeGreaterThan(1024);
    expect(readProc(2 ** 22 + 1)).toBeUndefined();
    expect(descendantsOf(2 ** 22 + 1)).toEqual([]);
    expect(descendantsOf(process.ppid)).toContain(process.pid);
  });
});

describe("groupAlive", () => {
  it("sees a process group while one of its processes lives, and not once they are killed", async () => {
    const child = spawn("sleep", ["30"], { detached: true, stdio: "ignore" });
    const exited = new Promise((resolve) => child.once("exit", resolve));
    try {
      expect(groupAlive(child.pid!)).toBe(true);
    } finally {
      process.kill(-child.pid!, "SIGKILL");
    }
    await exited;
    expect(groupAlive(child.pid!)).toBe(false);
  });
});
