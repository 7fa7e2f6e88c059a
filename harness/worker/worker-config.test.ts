import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { newestSupportedDate, readWorkerConfig, wranglerConfigIn } from "./worker-config.js";

/** A Worker project folder holding `config` as wrangler.jsonc, and `.dev.vars` when given. */
function project(config: object, devVars?: string): string {
  const dir = mkdtempSync(join(tmpdir(), "nexus-config-"));
  writeFileSync(join(dir, "wrangler.jsonc"), `// a team's config\n${JSON.stringify({ name: "team", main: "src/index.ts", ...config }, null, 2)}\n`);
  if (devVars !== undefined) writeFileSync(join(dir, ".dev.vars"), devVars);
  return dir;
}

describe("a Worker's own wrangler config", () => {
  it("gives its compatibility, vars, .dev.vars secrets and bindings, per wrangler environment", async () => {
    const dir = project(
      {
        compatibility_date: "2026-01-15",
        compatibility_flags: ["nodejs_compat", "no_handle_cross_request_promise_resolution"],
        vars: { REGION: "eu" },
        kv_namespaces: [{ binding: "SEAT_CACHE", id: "cache" }],
        d1_databases: [{ binding: "DB", database_name: "bookings", database_id: "d1" }],
        env: { staging: { vars: { REGION: "staging" }, kv_namespaces: [{ binding: "SEAT_CACHE", id: "cache-staging" }] } },
      },
      "GATEWAY_KEY=from-dev-vars\n",
    );
    const path = wranglerConfigIn(dir)!;
    const top = await readWorkerConfig(path);
    expect(top.compatibilityDate).toBe("2026-01-15");
    expect(top.compatibilityFlags).toEqual(["nodejs_compat", "no_handle_cross_request_promise_resolution"]);
    expect(top.workerOptions.bindings).toEqual({ REGION: "eu", GATEWAY_KEY: "from-dev-vars" });
    expect(top.workerOptions.kvNamespaces).toEqual({ SEAT_CACHE: { id: "cache" } });
    expect(top.workerOptions.d1Databases).toEqual({ DB: { id: "d1" } });
    const staging = await readWorkerConfig(path, "staging");
    expect(staging.env).toBe("staging");
    expect(staging.workerOptions.bindings).toEqual({ REGION: "staging", GATEWAY_KEY: "from-dev-vars" });
    expect(staging.workerOptions.kvNamespaces).toEqual({ SEAT_CACHE: { id: "cache-staging" } });
  });

  it("refuses a compatibility date newer than the shipped workerd's, in one line naming the newest it supports", async () => {
    const newest = newestSupportedDate();
    expect(newest).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const later = new Date(Date.parse(newest) + 86_400_000).toISOString().slice(0, 10);
    await expect(readWorkerConfig(wranglerConfigIn(project({ compatibility_date: newest }))!)).resolves.toMatchObject({ compatibilityDate: newest });
    const refused = readWorkerConfig(wranglerConfigIn(project({ compatibility_date: later }))!);
    await expect(refused).rejects.toThrow(new RegExp(`asks for compatibility_date ${later}, but the workerd nexus ships supports dates up to ${newest}`));
    await expect(readWorkerConfig(wranglerConfigIn(project({ compatibility_date: later }))!)).rejects.not.toThrow(/\n/);
  });

  it("names a binding Miniflare cannot simulate offline, and a service binding to a Worker nexus does not run", async () => {
    const base = { compatibility_date: "2026-01-15" };
    await expect(readWorkerConfig(wranglerConfigIn(project({ ...base, ai: { binding: "AI" } }))!)).rejects.toThrow(
      /binding AI is Workers AI, which Miniflare cannot simulate/,
    );
    await expect(readWorkerConfig(wranglerConfigIn(project({ ...base, vectorize: [{ binding: "SEATS_INDEX", index_name: "seats" }] }))!)).rejects.toThrow(
      /binding SEATS_INDEX is Vectorize/,
    );
    await expect(readWorkerConfig(wranglerConfigIn(project({ ...base, services: [{ binding: "PAYMENTS", service: "payments" }] }))!)).rejects.toThrow(
      /service binding PAYMENTS names the Worker "payments", which nexus does not run/,
    );
    await expect(readWorkerConfig(wranglerConfigIn(project({ ...base, services: [{ binding: "SELF", service: "team" }] }))!)).resolves.toBeDefined();
  });

  it("turns what wrangler rejects, and a missing date, into a usage error", async () => {
    await expect(
      readWorkerConfig(wranglerConfigIn(project({ compatibility_date: "2026-01-15", r2_buckets: [{ binding: "R2", bucket_name: "X" }] }))!),
    ).rejects.toThrow(/is not a Worker config wrangler accepts: .*bucket_name/);
    await expect(readWorkerConfig(wranglerConfigIn(project({}))!)).rejects.toThrow(/has no compatibility_date/);
  });
});
