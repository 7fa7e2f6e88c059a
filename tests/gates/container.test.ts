import { registerPasses } from "./passes.js";

// The gates' container lane: the core gates on Restate in a container (testcontainers).
await registerPasses("container");
