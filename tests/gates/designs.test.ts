import { registerPasses } from "./passes.js";

// The gates' designs lane: the reference Worker's other booking designs (none for any other Worker): the flow gates, as configured and under replay.
await registerPasses("designs");
