import { join } from "node:path";
import { COMPARE_WORKLOADS, compareSides, DEFAULT_COMPARE_SIZE, measureSides } from "../benchmarks/compare.js";
import { linkLatest, newRunDir } from "../harness/store/run-dirs.js";
import { startStack, type RemoteStackTarget, type Stack } from "../harness/stack/stack.js";
import type { Comparison } from "../harness/store/records.js";
import { writeCompare } from "../harness/store/run-store.js";
import { versions } from "../harness/restate/versions.js";
import { prepareWorker, resolveWorker } from "../harness/worker/worker-under-test.js";
import { buildReport } from "../reports/build-report.js";

/** Options of `nexus compare`: the remote environment; its token comes from RESTATE_AUTH_TOKEN only. */
export type CompareJobOptions = Omit<RemoteStackTarget, "token">;

const ms = (n: number) => `${n.toFixed(1)}`.padStart(8);
const signed = (n: number) => `${n >= 0 ? "+" : ""}${n.toFixed(1)}`.padStart(8);

function table(result: Comparison): string[] {
  const lines = [`${"workload".padEnd(10)}${"side".padEnd(8)}${"p50".padStart(8)}${"p90".padStart(8)}${"p99".padStart(8)}${"max".padStart(8)}   calls  failed`];
  for (const w of COMPARE_WORKLOADS) {
    for (const side of [result.local, result.remote]) {
      const s = side.stats[w]!;
      lines.push(
        `${w.padEnd(10)}${side.label.padEnd(8)}${ms(s.p50)}${ms(s.p90)}${ms(s.p99)}${ms(s.max)}${String(s.count + s.errors).padStart(8)}${String(s.errors).padStart(8)}`,
      );
    }
    const d = result.difference[w]!;
    lines.push(`${w.padEnd(10)}${"diff".padEnd(8)}${signed(d.p50)}${signed(d.p90)}${signed(d.p99)}${signed(d.max)}`);
  }
  return lines;
}

/**
 * Measures the same latency workloads (sequential `Ticket/get`, sequential checkouts, a low-rate open model) on the
 * embedded local stack and on the remote environment, interleaved; prints both and the difference (ms), stores
 * compare.json and the report. Non-zero when a workload got no successful call on a side.
 */
export async function compareJob(options: CompareJobOptions): Promise<number> {
  const runDir = newRunDir("compare");
  const size = DEFAULT_COMPARE_SIZE;
  console.log(`nexus compare: local embedded stack against ${options.ingressUrl}; output in ${runDir}`);
  const worker = await prepareWorker(await resolveWorker({}, (line) => console.log(`nexus: ${line}`)), join(runDir, "bundle"));
  const stacks: Stack[] = [];
  try {
    const remote = await startStack({ runDir: join(runDir, "remote"), worker, remote: { ...options, token: process.env.RESTATE_AUTH_TOKEN } });
    stacks.push(remote);
    console.log(`remote: Restate ${remote.restate.version} at ${remote.restate.ingressUrl}, Worker ${remote.worker.url}`);
    const local = await startStack({ runDir: join(runDir, "local"), worker, runtimeName: "binary" });
    stacks.push(local);
    const prefix = `compare-${Date.now().toString(36)}-`;
    console.log(
      `measuring both sides, call by call in turn: ${size.gets} gets, ${size.checkouts} checkouts, open model ${size.openRate}/s for ${size.openSeconds} s each…`,
    );
    const [localSide, remoteSide] = await measureSides(
      { label: "local", ingress: local.restate.ingressUrl, client: local.client, prefix: `${prefix}l-` },
      { label: "remote", ingress: remote.restate.ingressUrl, client: remote.client, prefix: `${prefix}r-` },
      size,
    );
    const result = compareSides(localSide, remoteSide);
    const path = await writeCompare(runDir, {
      ...result,
      size: { ...size },
      workerUrl: remote.worker.url,
      versions: { local: versions(local.restate.version), remote: remote.restate.version },
    });
    console.log(`\n${table(result).join("\n")}\n`);
    const report = await buildReport(runDir);
    await linkLatest(runDir);
    console.log(`compare.json: ${path}\nreport: ${report.path}`);
    const empty = [localSide, remoteSide].flatMap((side) => COMPARE_WORKLOADS.filter((w) => side.stats[w]!.count === 0).map((w) => `${side.label} ${w}`));
    if (empty.length > 0) console.log(`no successful call in: ${empty.join(", ")}`);
    return empty.length === 0 ? 0 : 1;
  } finally {
    for (const stack of stacks.reverse()) await stack.stop();
  }
}
