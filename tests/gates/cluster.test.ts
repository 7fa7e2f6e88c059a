import { registerPasses } from "./passes.js";

// The gates' cluster lane: the core gates and the booking model on a three-node cluster, and the partition gate with its nodes in network namespaces.
await registerPasses("cluster");
