import { registerPasses } from "./passes.js";

// The gates' binary lane: every gate but the partition gate on the native Restate binary, as configured.
await registerPasses("binary");
