import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium, type Browser } from "playwright-core";
import { afterAll, describe, expect, inject, it } from "vitest";
import { chromiumMissing, chromiumPath } from "../harness/chromium.js";
import { newRunDir } from "../harness/paths.js";
import { startStack } from "../harness/stack.js";
import { buildReport } from "../reports/build-report.js";
import { runGate, stackOptionsFor } from "./gate.js";
import { selectGates } from "./index.js";

const bundleDir = inject("workerBundle");
// Outside CI the test skips where Chromium is absent; under CI=true that is a failure (.ci/run installs it).
const missing = process.env.CI === "true" ? undefined : chromiumMissing();
if (missing) console.log(`report browser test skipped: ${missing}`);

describe.skipIf(missing !== undefined)("the HTML report in a real browser", () => {
  let browser: Browser | undefined;
  afterAll(async () => {
    await browser?.close();
  });

  it("opens offline from file:// with no console error and no network request, and shows the gate rows and charts", async () => {
    const runDir = newRunDir("test-report");
    const gates = selectGates(["happy-path", "decline-compensation"]);
    for (const gate of gates) {
      const stack = await startStack({ runDir: join(runDir, gate.name), bundle: { dir: bundleDir, entry: join(bundleDir, "index.js") }, ...stackOptionsFor(gate) });
      try {
        expect((await runGate(gate, stack)).valid).toBe(true);
      } finally {
        await stack.stop();
      }
    }
    await writeFile(join(runDir, "summary.json"), JSON.stringify({ seed: null, gates: gates.map((g) => ({ gate: g.name })), benchSkipped: "not part of this test" }));
    const report = await buildReport(runDir);

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
    await page.goto(pathToFileURL(report.path).href, { waitUntil: "load" });

    await expect.poll(() => page.locator(".banner.pass").count()).toBe(1);
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
    console.log(`report ${report.path}: ${Math.round(report.bytes / 1024)} KiB; screenshot ${join(runDir, "report.png")}`);
  });
});
