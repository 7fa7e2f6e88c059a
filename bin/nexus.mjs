#!/usr/bin/env node
// The `nexus` command: runs the TypeScript CLI through tsx on Node 24 and exits with its code. Started by an older
// Node (a machine's own Node 20), it runs itself again on the Node 24 the project installs from npm (node-linux-*).
import { spawn } from "node:child_process";
import { createRequire } from "node:module";

const NEEDED_MAJOR = 24;

/** The Node 24 binary npm installed for this platform (the optional dependency node-<platform>-<arch>), or undefined. */
function packagedNode() {
  try {
    return createRequire(import.meta.url).resolve(`node-${process.platform}-${process.arch}/bin/node`);
  } catch {
    return undefined;
  }
}

if (Number(process.versions.node.split(".")[0]) < NEEDED_MAJOR) {
  const node = packagedNode();
  if (node === undefined) {
    console.error(
      `nexus: needs Node ${NEEDED_MAJOR} (this is ${process.version}) and found no node-${process.platform}-${process.arch} package: run npm install, or put Node ${NEEDED_MAJOR} first on PATH`,
    );
    process.exit(4);
  }
  const child = spawn(node, process.argv.slice(1), { stdio: "inherit" });
  // The terminal's Ctrl-C reaches the child too (one process group): wait for it to stop itself.
  process.on("SIGINT", () => undefined);
  process.on("SIGTERM", () => child.kill("SIGTERM"));
  child.on("exit", (code, signal) => process.exit(code ?? (signal === "SIGINT" ? 130 : 1)));
} else {
  const tsx = await import("tsx/esm/api").catch((error) => {
    if (error?.code !== "ERR_MODULE_NOT_FOUND") throw error;
    console.error("nexus: its dependencies are not installed: run npm install in the project's folder first");
    process.exit(4);
  });
  tsx.register();
  const { main } = await import("../cli/main.ts");
  // Exit explicitly: idle keep-alive sockets of the HTTP clients must not hold the process open.
  process.exit(await main(process.argv.slice(2)));
}
