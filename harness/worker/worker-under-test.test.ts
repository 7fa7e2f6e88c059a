import reference from "../../nexus-worker.js";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { projectRoot } from "../system/paths.js";
import { resolveWorker } from "./worker-under-test.js";

const SEAT_FIELDS = join(projectRoot, "scenarios", "workers", "seat-fields");
const saved = { ...process.env };

describe("the Worker under test", () => {
  afterEach(() => {
    for (const key of ["NEXUS_WORKER", "NEXUS_WORKER_BUNDLE", "NEXUS_WORKER_DESCRIPTION", "NEXUS_WORKER_CONFIG"]) {
      if (saved[key] === undefined) delete process.env[key];
      else process.env[key] = saved[key];
    }
  });

  it("is the reference Worker unless one is named", async () => {
    for (const key of ["NEXUS_WORKER", "NEXUS_WORKER_BUNDLE", "NEXUS_WORKER_DESCRIPTION"]) delete process.env[key];
    const worker = await resolveWorker();
    expect(worker.source).toEqual({ kind: "project", dir: projectRoot, configPath: join(projectRoot, "wrangler.toml") });
    expect(worker.config).toMatchObject({ compatibilityDate: "2025-09-01", compatibilityFlags: ["nodejs_compat"] });
    expect(worker.description.name).toBe(reference.name);
  });

  it("is the project --worker names, else NEXUS_WORKER's, with the description in its folder", async () => {
    expect((await resolveWorker({ dir: SEAT_FIELDS })).description.name).toBe("seat-fields");
    process.env.NEXUS_WORKER = SEAT_FIELDS;
    expect((await resolveWorker()).source).toEqual({ kind: "project", dir: SEAT_FIELDS, configPath: join(SEAT_FIELDS, "wrangler.toml") });
    const demo = await resolveWorker({ dir: projectRoot, wranglerEnv: "demo" });
    expect(demo.source.env).toBe("demo");
    expect(demo.config.workerOptions.bindings).toMatchObject({ PUBLIC_DEMO_API: "true" });
  });

  it("is NEXUS_WORKER_BUNDLE's bundle, described by NEXUS_WORKER_DESCRIPTION, and says when it falls back to the reference layout", async () => {
    const bundle = mkdtempSync(join(tmpdir(), "nexus-bundle-"));
    writeFileSync(join(bundle, "index.js"), "export default {};\n");
    process.env.NEXUS_WORKER_BUNDLE = bundle;
    process.env.NEXUS_WORKER_DESCRIPTION = join(SEAT_FIELDS, "nexus-worker.ts");
    const described = await resolveWorker();
    expect(described.source).toEqual({ kind: "bundle", dir: bundle, configPath: join(projectRoot, "wrangler.toml") });
    expect(described.description.name).toBe("seat-fields");
    delete process.env.NEXUS_WORKER_DESCRIPTION;
    const said: string[] = [];
    expect((await resolveWorker({}, (line) => said.push(line))).description.name).toBe(reference.name);
    expect(said.join("\n")).toContain("judging it as the reference Worker's layout");
    expect(said.join("\n")).toContain("has no wrangler config: running it with the reference Worker's wrangler.toml");
    process.env.NEXUS_WORKER_CONFIG = join(SEAT_FIELDS, "wrangler.toml");
    expect((await resolveWorker()).source.configPath).toBe(join(SEAT_FIELDS, "wrangler.toml"));
  });

  it("refuses a project without a description, and a description that exports no WorkerDescription", async () => {
    const project = mkdtempSync(join(tmpdir(), "nexus-project-"));
    writeFileSync(join(project, "wrangler.toml"), 'name = "x"\nmain = "index.ts"\n');
    await expect(resolveWorker({ dir: project })).rejects.toThrow(/has no nexus-worker.ts/);
    writeFileSync(join(project, "nexus-worker.mjs"), "export default { name: 'x' };\n");
    await expect(resolveWorker({ dir: project })).rejects.toThrow(/must export default a WorkerDescription/);
  });
});
