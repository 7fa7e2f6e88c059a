// What the commands accept, for the CLI that parses them: the names, defaults and checks the jobs below rely on,
// taken from the parts that own them, so the CLI imports jobs/ alone.
export { redact } from "../harness/restate/auth.js";
export { DEFAULT_THRESHOLDS } from "../harness/soak/judge.js";
export { RUNTIME_NAMES } from "../harness/stack/stack.js";
export { wranglerConfigIn, WRANGLER_CONFIG_FILES } from "../harness/worker/worker-config.js";
export type { WorkerChoice } from "../harness/worker/worker-under-test.js";
export { WORKERS_STANDARD_PRICES } from "../benchmarks/cost.js";
