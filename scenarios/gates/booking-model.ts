import fc from "fast-check";
import { bookingModel, noCounterexample } from "../../harness/checkers/booking-model.js";
import { sameAnswerOnRetry } from "../../harness/checkers/expectations.js";
import { mapConvergence } from "../../harness/checkers/map-convergence.js";
import { noDoubleSale } from "../../harness/checkers/no-double-sale.js";
import { noLostBooking } from "../../harness/checkers/no-lost-booking.js";
import { readFinalState, waitQuiet } from "../../harness/restate/state-reads.js";
import type { Op } from "../../harness/history/history.js";
import { seconds } from "../../harness/system/progress.js";
import { checkGate, type Gate, type GateContext } from "../../harness/runner/gate.js";
import { commandsArbitrary, MODEL_WORKER_ENV, type Model, type ModelRun } from "../model/commands.js";
import { plansArbitrary, type BookingPlan } from "../model/universe.js";

/** Commands in one generated history (fast-check may draw fewer, and shrinks towards fewer). */
const MAX_COMMANDS = 10;

/** The ops of `run` in the gate's history: its clients', its faults', and the expectations every judgement reads. */
function opsOfRun(ops: Op[], run: ModelRun): Op[] {
  return ops.filter((op) => op.f === "expect" || op.process.startsWith(`${run.tag}/`) || (op.process === "nemesis" && op.value.run === run.tag));
}

/**
 * Judges one finished run alone, once Restate and the gateway are quiet: its ops, its seats, the ledger it wrote and
 * the invocations it started (an earlier run's hold timers may still fire; the gate's final judgement sees them).
 */
async function judgeRun(gate: Gate, run: ModelRun, from: { ledger: number; at: number }): Promise<string[]> {
  const { stack, history } = run.context;
  await waitQuiet(stack.restate.adminUrl);
  await stack.gateway.whenIdle();
  const state = await readFinalState(stack.restate.adminUrl, stack.description, stack.gateway.entries().slice(from.ledger), run.prefix, from.at);
  const { results } = checkGate(gate, opsOfRun(history.ops, run), state, stack.description.capabilities);
  return results.filter((r) => r.valid !== true).flatMap((r) => r.problems.slice(0, 5).map((p) => `${r.name}: ${p}`));
}

/** A failing run for people: fast-check's seed and path, the run's plans and commands, and what the checkers found. */
function describeCounterexample(details: fc.RunDetails<[Iterable<fc.AsyncCommand<Model, ModelRun>>, BookingPlan[]]>): string {
  const [commands, plans] = details.counterexample!;
  const planText = plans.map((p, i) => `b${i}=s${p.seat}/u${p.user}/${p.card}${p.longId ? "/long-id" : ""}`).join(" ");
  const error = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
  return [
    `a run failed (fast-check seed ${details.seed}, path "${details.counterexamplePath}", shrunk ${details.numShrinks} times):`,
    `  plans: ${planText}`,
    `  commands: ${String(commands).replace(/\s*\/\*replayPath=.*\*\//, "") || "(none)"}`,
    `  ${error}`,
  ].join("\n");
}

/**
 * Searches for a history that breaks the booking model: fast-check draws runs (up to 10 commands: batches of
 * concurrent checkouts under gateway (charge and refund) and process faults, every ended booking retried under each
 * gateway profile, the gateway forgetting its keys, seats held by hand through the demo API; and a plan for each of 8 booking ids over 4 seats and 4 users, with
 * twins and ids at the length limit), each run is executed on the real stack on seats of its own and judged alone, and a
 * failing run is shrunk to a short one, printed with the seed that replays it.
 */
async function search(gate: Gate, context: GateContext): Promise<void> {
  const { stack, history, log, search } = context;
  const seed = context.random.int(0, 2 ** 31 - 1);
  const started = Date.now();
  const totals = { runs: 0, commands: 0, checkouts: 0, failures: 0 };
  let shrinkEnds = Number.POSITIVE_INFINITY;
  // Commands first: fast-check shrinks the first value first, and fewer commands is the shrink that matters most.
  const drawCommands = commandsArbitrary(MAX_COMMANDS, { demoApi: stack.description.capabilities.demoApi });
  const property = fc.asyncProperty(drawCommands, plansArbitrary, async (commands, plans) => {
    const over = totals.failures === 0 ? Date.now() - started > search.budgetMs : Date.now() > shrinkEnds;
    if (over) throw new fc.PreconditionFailure(true);
    const run: ModelRun = { context, tag: `r${totals.runs}`, prefix: `${context.prefix}r${totals.runs}-`, plans, ended: new Set(), clients: 0, commands: 0 };
    totals.runs += 1;
    const from = { ledger: stack.gateway.entries().length, at: Date.now() };
    let problems: string[];
    try {
      await fc.asyncModelRun(() => ({ model: {} as Model, real: run }), commands);
      problems = await judgeRun(gate, run, from);
    } catch (error) {
      problems = [`it could not be run or judged: ${error instanceof Error ? error.message : String(error)}`];
    }
    totals.commands += run.commands;
    totals.checkouts += run.clients;
    if (totals.runs % 5 === 0 || problems.length > 0)
      log(`${totals.runs} runs, ${totals.checkouts} checkouts, ${seconds(Date.now() - started)}${problems.length > 0 ? `: run ${run.tag} FAILED` : ""}`);
    if (problems.length === 0) return;
    totals.failures += 1;
    if (totals.failures === 1) shrinkEnds = Date.now() + search.shrinkMs;
    throw new Error(`run ${run.tag} failed:\n  ${problems.join("\n  ")}`);
  });
  const details = await fc.check(property, { seed, numRuns: 100_000, endOnFailure: !search.shrink });
  const elapsedMs = Date.now() - started;
  history.complete(history.invoke("gate", "model-search", { seed }), "ok", { ...totals, elapsedMs });
  log(`searched ${totals.runs} runs (${totals.commands} commands, ${totals.checkouts} checkouts) in ${seconds(elapsedMs)}, fast-check seed ${seed}`);
  if (!details.failed) return;
  const found = details.counterexample !== null;
  const report = found ? describeCounterexample(details) : (fc.defaultReportMessage(details) ?? "the search failed without a report");
  const op = history.invoke("gate", "model-counterexample", { seed, path: details.counterexamplePath });
  history.complete(op, "fail", { report, found, shrinks: details.numShrinks });
  log(`${found ? "counterexample" : "no history could run"}: ${report}`);
}

/** The booking model, searched: random concurrent histories under faults must each keep every invariant and the model. */
export const bookingModelGate: Gate = {
  name: "booking-model",
  needs: ["workerControl", "restateFaults", "crashPoints"],
  title: "random concurrent booking histories under gateway, Worker and Restate faults keep the booking model (fast-check, shrunk on failure)",
  stack: {
    crashPoints: true,
    // The demo API lets the model hold seats by hand (a Worker without it is not asked to).
    workerEnv: { ...MODEL_WORKER_ENV, PUBLIC_DEMO_API: "true" },
    restateEnv: { RESTATE_DEFAULT_RETRY_POLICY__INITIAL_INTERVAL: "100ms", RESTATE_DEFAULT_RETRY_POLICY__MAX_INTERVAL: "1s" },
  },
  checkers: [noDoubleSale, noLostBooking, mapConvergence, sameAnswerOnRetry, bookingModel, noCounterexample],
  run(context) {
    return search(bookingModelGate, context);
  },
};
