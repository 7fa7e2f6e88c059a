import { existsSync, readdirSync, readFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { join } from "node:path";
import { NexusError } from "../system/errors.js";
import { projectRoot } from "../system/paths.js";
import { ManagedProcess } from "../system/process.js";

const require = createRequire(import.meta.url);

/** A bundled Worker: its entry module, ready for Miniflare (the SDK's .wasm lies beside it). */
export interface WorkerBundle {
  dir: string;
  entry: string;
}

/**
 * Bundles a Worker with wrangler's own bundler (`wrangler deploy --dry-run`, offline), from `configPath`
 * (default: the project's wrangler.toml) into `outDir`. A failed build is a NexusError("bundleFailed").
 */
export async function bundleWorker(outDir: string, configPath = join(projectRoot, "wrangler.toml")): Promise<WorkerBundle> {
  await rm(outDir, { recursive: true, force: true });
  const wrangler = require.resolve("wrangler/bin/wrangler.js");
  const args = [wrangler, "deploy", "--dry-run", "--outdir", outDir, "--config", configPath, "--env", ""];
  const logPath = `${outDir}.log`;
  const wranglerRun = ManagedProcess.start({
    name: "wrangler (bundle)",
    command: process.execPath,
    args,
    cwd: projectRoot,
    env: { WRANGLER_SEND_METRICS: "false", WRANGLER_LOG: "error", NO_COLOR: "1" },
    logPath,
    parentDeathSignal: "SIGKILL",
  });
  const { code } = await wranglerRun.exited;
  await wranglerRun.kill();
  const entry = join(outDir, "index.js");
  if (code !== 0 || !existsSync(entry)) {
    const text = readFileSync(logPath, "utf8").split("\n").filter((l) => l.trim()).slice(-8).join("\n");
    throw new NexusError("bundleFailed", `the Worker failed to bundle (wrangler exit ${code}); fix the error below and retry:\n${text}`);
  }
  if (!readdirSync(outDir).some((f) => f.endsWith(".wasm"))) {
    throw new NexusError("bundleFailed", `the Worker bundle in ${outDir} has no .wasm module: the Restate SDK was not bundled`);
  }
  return { dir: outDir, entry };
}
