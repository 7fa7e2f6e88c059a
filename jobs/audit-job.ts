import { stateAudit } from "../harness/checkers/state-audit.js";
import { readRunState } from "../harness/restate/run-state.js";
import { RemoteRuntime } from "../harness/runtime/remote-runtime.js";
import { ExitCode } from "../harness/system/errors.js";
import { resolveWorker, type WorkerChoice } from "../harness/worker/worker-under-test.js";

/** Options of `nexus audit`: where the run's Restate answers (its token from RESTATE_AUTH_TOKEN), and which run. */
export interface AuditJobOptions {
  ingressUrl: string;
  adminUrl: string;
  /** The run's seat and booking id prefix (NEXUS_PREFIX of its load processes). */
  prefix: string;
  /** The 200s the clients counted (the `confirmed` count of booking.py's summary), when known. */
  confirmed?: number;
  /** The Worker whose description reads the seats (default: NEXUS_WORKER_DESCRIPTION, NEXUS_WORKER, else the reference). */
  worker?: WorkerChoice;
}

/** What an audit from Restate's state alone leaves unproven, printed with every verdict. */
export const NOT_PROVEN =
  "not proven from Restate's state alone: that each booking was charged exactly once, and that refused or failed bookings kept no money (that is the payment gateway's ledger)";

/**
 * Audits a finished run (a distributed Locust run, or any) from Restate's state alone: reads the run's seats and
 * invocations through the admin API, prints what it found and the verdict, and returns 0 when valid, 1 when not.
 */
export async function auditJob(options: AuditJobOptions): Promise<number> {
  const worker = await resolveWorker(options.worker, (line) => console.log(`nexus: ${line}`));
  const restate = await new RemoteRuntime({ ingressUrl: options.ingressUrl, adminUrl: options.adminUrl, token: process.env.RESTATE_AUTH_TOKEN }).start();
  console.log(
    `nexus audit: run ${options.prefix} on ${restate.adminUrl} (Restate ${restate.version}), seats read as ${worker.description.name} stores them; reading state…`,
  );
  const state = await readRunState(restate.adminUrl, worker.description, options.prefix);
  const result = stateAudit(state, options.prefix, options.confirmed);
  const { seats, sold, reserved, available } = result.stats;
  console.log(`  seats of the run: ${seats} (${sold} SOLD, ${reserved} RESERVED, ${available} AVAILABLE)`);
  const invocations = Object.entries(state.invocations)
    .map(([status, n]) => `${n} ${status}`)
    .join(", ");
  console.log(`  invocations on the run's objects: ${invocations || "none"}`);
  if (options.confirmed === undefined) console.log("  confirmations not compared: give --confirmed N (the confirmed count of the run's summary)");
  else console.log(`  confirmed by clients: ${options.confirmed}`);
  for (const problem of result.problems.slice(0, 20)) console.log(`  problem: ${problem}`);
  if (result.problems.length > 20) console.log(`  … and ${result.problems.length - 20} more problems`);
  console.log(`  ${NOT_PROVEN}`);
  console.log(result.valid === true ? `audit ok: ${sold} seats SOLD, each to one booking of the run` : `audit INVALID: ${result.problems.length} problems`);
  return result.valid === true ? ExitCode.ok : ExitCode.gateFailed;
}
