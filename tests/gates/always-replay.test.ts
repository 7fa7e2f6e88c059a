import { registerPasses } from "./passes.js";

// The gates' always-replay lane: the gates that judge a journaled flow on the native binary, with Restate replaying the journal at every step.
await registerPasses("always-replay");
