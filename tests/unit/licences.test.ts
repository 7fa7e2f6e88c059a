import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { projectRoot } from "../../harness/system/paths.js";

// docs/dependencies.md names each dependency's licence; these tests hold that table to package.json and to what npm
// installed, and hold every installed package to the licences the project allows.

/** Licences anyone may use nexus under, as npm packages spell them. */
const PERMISSIVE = new Set([
  "MIT",
  "ISC",
  "BSD-2-Clause",
  "BSD-3-Clause",
  "Apache-2.0",
  "MIT OR Apache-2.0",
  "Apache-2.0 AND MIT",
  "MPL-2.0",
  "BlueOak-1.0.0",
  "0BSD",
  "Unlicense",
  "CC0-1.0",
]);

/** The packages docs/dependencies.md names as exceptions, with the licence each declares. */
const NAMED_EXCEPTIONS: Record<string, string> = {
  "@restatedev/restate-server": "BSL",
  "@restatedev/restate-server-linux-x64": "BSL",
  "@restatedev/restate-server-linux-arm64": "BSL",
  "@restatedev/restate-server-darwin-x64": "BSL",
  "@restatedev/restate-server-darwin-arm64": "BSL",
  "@restatedev/restatectl": "BSL",
  "@restatedev/restatectl-linux-x64": "BSL",
  "@restatedev/restatectl-linux-arm64": "BSL",
  "@restatedev/restatectl-darwin-x64": "BSL",
  "@restatedev/restatectl-darwin-arm64": "BSL",
  "@img/sharp-libvips-linux-x64": "LGPL-3.0-or-later",
  "@img/sharp-libvips-linux-arm64": "LGPL-3.0-or-later",
};

interface Manifest {
  name?: string;
  license?: string | { type: string };
  licenses?: Array<{ type: string }>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

const readManifest = (path: string): Manifest => JSON.parse(readFileSync(path, "utf8")) as Manifest;

/** The licence a manifest declares, as one string ("" when it declares none). */
function licenceOf(manifest: Manifest): string {
  if (typeof manifest.license === "string") return manifest.license;
  if (manifest.license) return manifest.license.type;
  return (manifest.licenses ?? []).map((l) => l.type).join(" OR ");
}

/** Every package under `dir` (a node_modules folder), nested ones included, as [name, licence]. */
function installedPackages(dir: string): Array<[string, string]> {
  const found: Array<[string, string]> = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name.startsWith(".")) continue;
    const path = join(dir, entry.name);
    if (entry.name.startsWith("@")) {
      found.push(...installedPackages(path));
      continue;
    }
    const manifest = join(path, "package.json");
    if (existsSync(manifest)) {
      const m = readManifest(manifest);
      if (m.name) found.push([m.name, licenceOf(m)]);
    }
    if (existsSync(join(path, "node_modules"))) found.push(...installedPackages(join(path, "node_modules")));
  }
  return found;
}

/** The rows of the first table in docs/dependencies.md: each package it names, with the row's licence cell. */
function documentedLicences(): Map<string, string> {
  const doc = readFileSync(join(projectRoot, "docs", "dependencies.md"), "utf8");
  const table = doc.slice(doc.indexOf("| package | licence | why |"));
  const rows = table.split("\n").slice(2);
  const licences = new Map<string, string>();
  for (const row of rows) {
    if (!row.startsWith("|")) break;
    const [names = "", licence = ""] = row.split("|").slice(1, 3);
    for (const [, name] of names.matchAll(/`([^`]+)`/g)) licences.set(name!, licence.trim());
  }
  return licences;
}

const project = readManifest(join(projectRoot, "package.json"));
const declared = Object.keys({ ...project.dependencies, ...project.devDependencies, ...project.optionalDependencies });

describe("dependencies' licences", () => {
  it("docs/dependencies.md names every dependency in package.json with the licence its installed package declares", () => {
    const documented = documentedLicences();
    expect(declared.filter((name) => !documented.has(name))).toEqual([]);
    const drifted = declared.flatMap((name) => {
      const manifest = join(projectRoot, "node_modules", name, "package.json");
      if (!existsSync(manifest)) return []; // an optional package for another platform
      const installed = licenceOf(readManifest(manifest));
      const written = documented.get(name)!;
      return written === installed || written.startsWith(`${installed} (`) ? [] : [`${name}: installed ${installed}, documented ${written}`];
    });
    expect(drifted).toEqual([]);
  });

  it("every installed package is under a permissive licence, or is one of the exceptions docs/dependencies.md names", () => {
    const packages = installedPackages(join(projectRoot, "node_modules"));
    expect(packages.length).toBeGreaterThan(declared.length);
    const outside = packages
      .filter(([name, licence]) => !PERMISSIVE.has(licence) && NAMED_EXCEPTIONS[name] !== licence)
      .map(([name, licence]) => `${name}: ${licence || "no licence declared"}`);
    expect([...new Set(outside)]).toEqual([]);
  });
});
