// A deploy as a history records it: each step of the procedure (a nemesis op "deploy"), what Restate said after it
// (observer ops "latest"), and, once quiet, where and when every invocation ran and what failed ("invocation-runs",
// "invocation-failures"). Data and pure readers only.
import { epochOf, type Op } from "./history.js";

/** A registered deployment whose code a step replaced behind the same URL, with the time (epoch ms) the new code took over. */
export interface ReplacedCode {
  deployment: string;
  version: string;
  at: number;
}

/** What one step of a deploy procedure did: the deployment it means new invocations to go to, and the code it replaced. */
export interface DeployStep {
  /** The deployment the procedure means Restate to send new invocations to after this step. */
  latest: string;
  /** Registered deployments whose code this step replaced behind the same URL. */
  replaced: ReplacedCode[];
  /** What else the step did or measured (registrations, drain time, removals). */
  details: Record<string, unknown>;
}

/** One invocation's run as Restate recorded it: its pinned deployment and when its handler appended its first and last command. */
export interface InvocationRun {
  id: string;
  target: string;
  status: string;
  /** The deployment Restate pinned it to when it first ran (null: it never ran). */
  deployment: string | null;
  /** Epoch ms of the first and last command the handler appended (its input excluded); null when it appended none. */
  firstCommandAt: number | null;
  lastCommandAt: number | null;
}

/** An invocation's last failure, as Restate keeps it while the invocation is retried or paused. */
export interface InvocationFailure {
  id: string;
  target: string;
  status: string;
  deployment: string | null;
  code: string | null;
  failure: string;
  retries: number;
}

/** A completed deploy step, with the time (epoch ms) its op completed. */
export interface RecordedStep extends DeployStep {
  step: string;
  procedure: string;
  doneAt: number;
}

/** The deploy steps a history recorded, in order (completed ones; a step that threw is the workload's error, not a step). */
export function deployStepsOf(ops: Op[]): RecordedStep[] {
  const epoch = epochOf(ops) ?? 0;
  return ops
    .filter((op) => op.process === "nemesis" && op.f === "deploy" && op.type === "ok")
    .map((op) => ({ ...(op.value as unknown as DeployStep & { step: string; procedure: string }), doneAt: epoch + op.time }));
}

/** The value of the last completed observer op `f`, or undefined when the history has none. */
export function lastObserved(ops: Op[], f: string): Record<string, unknown> | undefined {
  return ops.filter((op) => op.process === "observer" && op.f === f && op.type === "ok").at(-1)?.value;
}

/** What Restate said each service's latest deployment was, right after each deploy step (observer ops "latest", in order). */
export function latestObservedOf(ops: Op[]): Array<{ step: string; services: Record<string, string> }> {
  return ops
    .filter((op) => op.process === "observer" && op.f === "latest" && op.type === "ok")
    .map((op) => ({ step: String(op.value.step), services: op.value.services as Record<string, string> }));
}
