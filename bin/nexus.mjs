#!/usr/bin/env node
// The `nexus` command: loads the TypeScript CLI through tsx and exits with its code.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../cli/main.ts");
// Exit explicitly: idle keep-alive sockets of the HTTP clients must not hold the process open.
process.exit(await main(process.argv.slice(2)));
