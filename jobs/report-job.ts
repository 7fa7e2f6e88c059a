import { resolve } from "node:path";
import { writeJunit } from "../harness/store/run-store.js";
import { runVerdict } from "../harness/store/verdict.js";
import { buildReport } from "../reports/build-report.js";
import { junitXml } from "../reports/junit.js";
import { headlineLine } from "./exit.js";

/** Rebuilds index.html and junit.xml of a stored run (of nexus run, bench or compare) and prints their paths and its verdict. */
export async function reportJob(runDir: string): Promise<number> {
  const report = await buildReport(resolve(runDir));
  const junitPath = await writeJunit(report.run.dir, junitXml(report.run));
  console.log(`report: ${report.path} (${Math.round(report.bytes / 1024)} KiB)`);
  console.log(`junit: ${junitPath}`);
  console.log(headlineLine(runVerdict(report.run)));
  return 0;
}
