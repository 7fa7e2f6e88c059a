import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { NexusError } from "../../harness/errors.js";
import { buildReport } from "../../reports/build-report.js";
import { junitXml } from "../../reports/junit.js";

/** Rebuilds index.html and junit.xml of a stored run (of nexus run or nexus bench) and prints their paths. */
export async function reportCommand(runDir: string): Promise<number> {
  const dir = resolve(runDir);
  if (!existsSync(dir)) throw new NexusError("usage", `${runDir} does not exist: give a run folder under reports/out/`);
  const report = await buildReport(dir);
  await writeFile(join(dir, "junit.xml"), junitXml(report.run));
  console.log(`report: ${report.path} (${Math.round(report.bytes / 1024)} KiB)`);
  console.log(`junit: ${join(dir, "junit.xml")}`);
  return 0;
}
