import { existsSync, readdirSync, readFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { NexusError } from "../system/errors.js";
import { projectRoot } from "../system/paths.js";
import { ManagedProcess } from "../system/process.js";
import { readWorkerConfig, type WorkerConfig } from "./worker-config.js";

const require = createRequire(import.meta.url);

/** A bundled Worker: its entry module, ready for Miniflare (the SDK's .wasm lies beside it), and its deploy settings. */
export interface WorkerBundle {
  dir: string;
  entry: string;
  config: WorkerConfig;
}

/**
 * Bundles a Worker with wrangler's own bundler (`wrangler deploy --dry-run`, offline) into `outDir`, from the wrangler
 * config (and environment) `config` was read from; by default the reference Worker's wrangler.toml. A failed build is
 * a NexusError("bundleFailed").
 */
export async function bundleWorker(outDir: string, config?: WorkerConfig): Promise<WorkerBundle> {
  config ??= await readWorkerConfig(join(projectRoot, "wrangler.toml"));
  await rm(outDir, { recursive: true, force: true });
  const wrangler = join(dirname(require.resolve("wrangler/package.json")), "bin", "wrangler.js");
  const args = [wrangler, "deploy", "--dry-run", "--outdir", outDir, "--config", config.path, "--env", config.env ?? ""];
  const logPath = `${outDir}.log`;
  const wranglerRun = ManagedProcess.start({
    name: "wrangler (bundle)",
    command: process.execPath,
    args,
    cwd: dirname(config.path),
    env: { WRANGLER_SEND_METRICS: "false", WRANGLER_LOG: "error", NO_COLOR: "1" },
    logPath,
    parentDeathSignal: "SIGKILL",
  });
  const { code } = await wranglerRun.exited;
  await wranglerRun.kill();
  const entry = join(outDir, "index.js");
  if (code !== 0 || !existsSync(entry)) {
    const text = readFileSync(logPath, "utf8")
      .split("\n")
      .filter((l) => l.trim())
      .slice(-8)
      .join("\n");
    throw new NexusError("bundleFailed", `the Worker failed to bundle (wrangler exit ${code}); fix the error below and retry:\n${text}`);
  }
  if (!readdirSync(outDir).some((f) => f.endsWith(".wasm"))) {
    throw new NexusError("bundleFailed", `the Worker bundle in ${outDir} has no .wasm module: the Restate SDK was not bundled`);
  }
  return { dir: outDir, entry, config };
}
