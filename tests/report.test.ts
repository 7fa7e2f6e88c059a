import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium, type Browser } from "playwright-core";
import { afterAll, describe, expect, it } from "vitest";
import { chromiumMissing, chromiumPath } from "../harness/system/chromium.js";
import { newRunDir } from "../harness/store/run-dirs.js";
import { readRun, reportFileOf } from "../harness/store/run-store.js";
import { runJob } from "../jobs/run-job.js";
// Outside CI the test skips where Chromium is absent; under CI=true that is a failure (.ci/run installs it).
const missing = process.env.CI === "true" ? undefined : chromiumMissing();
if (missing) console.log(`report browser test skipped: ${missing}`);

describe.skipIf(missing !== undefined)("the HTML report in a real browser", () => {
  let browser: Browser | undefined;
  afterAll(async () => {
    await browser?.close();
  });

  it("opens offline from file:// with no console error and no network request, and shows the gate rows and charts", async () => {
    // The main job itself (nexus run), without the benchmark: its report is the one a user opens.
    const runDir = newRunDir("test-report");
    const stepSummary = join(runDir, "step-summary.md");
    const outer = process.env.GITHUB_STEP_SUMMARY;
    process.env.GITHUB_STEP_SUMMARY = stepSummary;
    try {
      expect(await runJob({ gates: ["happy-path", "decline-compensation"], bench: false, runDir })).toBe(0);
    } finally {
      if (outer === undefined) delete process.env.GITHUB_STEP_SUMMARY;
      else process.env.GITHUB_STEP_SUMMARY = outer;
    }
    // The step summary states the same verdict as the banner, and how to replay the run.
    const markdown = readFileSync(stepSummary, "utf8");
    expect(markdown).toContain("**PASS: 2 of 2 gates passed**");
    expect(markdown).toMatch(/\| PASS \| happy-path \|/);
    expect(markdown).toMatch(/Replay: `nexus run --seed \d+`/);
    const reportPath = reportFileOf(runDir);
    expect(readRun(runDir).gates.map((g) => g.valid)).toEqual([true, true]);

    browser = await chromium.launch({ executablePath: chromiumPath(), args: ["--no-sandbox"] });
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const consoleErrors: string[] = [];
    const requests: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error") consoleErrors.push(message.text());
    });
    page.on("pageerror", (error) => consoleErrors.push(error.message));
    page.on("request", (request) => {
      if (!request.url().startsWith("file:")) requests.push(request.url());
    });
    await page.goto(pathToFileURL(reportPath).href, { waitUntil: "load" });

    await expect.poll(() => page.locator(".banner.pass").count()).toBe(1);
    expect(await page.locator(".banner.pass").innerText()).toContain("PASS: 2 of 2 gates passed");
    expect(await page.locator("table.gates tbody tr").count()).toBe(2);
    expect(await page.locator("table.gates").innerText()).toContain("decline-compensation");
    expect(await page.locator("details.gate figure.chart svg").count()).toBe(4);
    const firstGate = page.locator("details.gate").first();
    expect(await firstGate.locator("figure svg").first().isVisible()).toBe(false);
    await firstGate.locator("summary").click();
    expect(await firstGate.locator("figure svg").first().isVisible()).toBe(true);
    expect(await firstGate.locator("figure svg .mark-rule line, figure svg .mark-rule path").count()).toBeGreaterThan(0);
    await page.screenshot({ path: join(runDir, "report.png"), fullPage: true });
    expect(consoleErrors).toEqual([]);
    expect(requests).toEqual([]);
    console.log(`report ${reportPath}; screenshot ${join(runDir, "report.png")}`);
  });
});
