import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import type { DeployStep } from "../history/deploys.js";
import { registerDeployment, removeDeployment, type Registration } from "../restate/admin.js";
import { countUnfinishedOn, readLatestDeployments } from "../restate/deployment-reads.js";
import type { RestateBinary } from "../runtime/runtime.js";
import { NexusError } from "../system/errors.js";
import { waitFor } from "../system/wait.js";
import type { Stack } from "../stack/stack.js";
import { AliasProxy } from "../worker/alias-proxy.js";
import type { WorkerBundle } from "../worker/bundle.js";
import { startWorker, StartedWorker } from "../worker/worker-process.js";

/** A Worker version a procedure puts in service: its name in the results, its bundle, its bindings over the stack's. */
export interface WorkerVersion {
  name: string;
  bundle: WorkerBundle;
  bindings: Record<string, string>;
}

/** One way of deploying the next version while bookings are in flight. */
export interface DeployProcedure {
  /** Before any booking: e.g. start the next version's Worker, register an alias. */
  prepare(): Promise<DeployStep>;
  /** With bookings in flight: puts the next version in service. */
  cutOver(): Promise<DeployStep>;
  /** Once the bookings in flight were let go: drain and remove the old version, roll back, or nothing. */
  finish(): Promise<DeployStep>;
}

/** The procedures a deploy gate can follow: the safe one, and the ways teams get it wrong. */
export const DEPLOY_PROCEDURES = {
  versioned: "the next version on its own URL, registered; the old one kept serving until its invocations drain, then removed",
  "in-place": "the next version's code behind the old version's URL, as `wrangler deploy` does; no new registration",
  "stop-before-drain": "the next version on its own URL, registered, and the old version stopped at once, before it drained",
  alias: "an alias URL registered for the old version, then moved to the next version (its own URL registered too), as a deploy moves an alias",
  "rollback-reregister": "a versioned deploy, then a rollback by registering the old URL again (Restate answers 'unchanged')",
} as const;

export type DeployProcedureName = keyof typeof DEPLOY_PROCEDURES;

/** How long the old version may take to drain before the versioned procedure reports it undrained and leaves it registered. */
export const DRAIN_TIMEOUT_MS = 120_000;

/** The deployment Restate sends new invocations of the Worker's services to now (one for all of them, as after a registration). */
async function latestDeployment(adminUrl: string): Promise<string> {
  const latest = [...new Set(Object.values(await readLatestDeployments(adminUrl)))];
  if (latest.length !== 1) throw new Error(`the Worker's services are served by ${latest.length} deployments (${latest.join(", ")}), expected one`);
  return latest[0]!;
}

/** What every procedure works with: the stack (its Worker is the old version) and the next version. */
class Rollout {
  constructor(
    readonly stack: Stack,
    readonly version: WorkerVersion,
  ) {}

  get adminUrl(): string {
    return this.stack.restate.adminUrl;
  }

  /** The URL under which Restate reaches `url` (a container's Restate sees the host under another name). */
  reach(url: string): Promise<string> {
    return this.stack.restate.reach ? this.stack.restate.reach(url) : Promise.resolve(url);
  }

  /** The next version's bindings: the stack's (gateway, signing key, the gate's settings) under its own. */
  private bindings(): Record<string, string> {
    return { ...this.stack.workerEnv, ...this.version.bindings };
  }

  /** Starts the next version on a port of its own. */
  async startNext(): Promise<StartedWorker> {
    const worker = await startWorker({ bundle: this.version.bundle, workDir: join(this.stack.runDir, "next-version"), bindings: this.bindings() });
    this.stack.adopt(() => worker.stop());
    return worker;
  }

  /** Kills the old version and starts the next one on its port, as `wrangler deploy` replaces the code behind a URL; returns when the old code stopped (epoch ms). */
  async replaceOld(): Promise<number> {
    await this.stack.worker.kill();
    const at = Date.now();
    const port = Number(new URL(this.stack.worker.url).port);
    const worker = new StartedWorker(
      { bundle: this.version.bundle, workDir: this.stack.runDir, bindings: this.bindings() },
      port,
      join(this.stack.runDir, "worker-next.log"),
    );
    this.stack.adopt(() => worker.stop());
    await worker.launch();
    return at;
  }

  /** Registers `url` (as Restate reaches it) and returns the registration. */
  async register(url: string, force = true): Promise<Registration> {
    return registerDeployment(this.adminUrl, await this.reach(url), { force });
  }

  /** Waits until no invocation pinned to `deployment` is unfinished; the time it took, or undefined when DRAIN_TIMEOUT_MS passed first. */
  async drain(deployment: string): Promise<number | undefined> {
    const started = Date.now();
    try {
      await waitFor(async () => (await countUnfinishedOn(this.adminUrl, deployment)) === 0, {
        timeoutMs: DRAIN_TIMEOUT_MS,
        intervalMs: 100,
        what: `deployment ${deployment} to drain`,
      });
      return Date.now() - started;
    } catch {
      return undefined;
    }
  }
}

/** The versioned procedure's last step: drain the old deployment, then remove it and stop its Worker; an undrained one stays. */
async function drainAndRemove(rollout: Rollout, old: string, latest: string, stopOld: () => Promise<void>): Promise<DeployStep> {
  const drainMs = await rollout.drain(old);
  if (drainMs === undefined) return { latest, replaced: [], details: { drained: false, drainTimeoutMs: DRAIN_TIMEOUT_MS, removed: null } };
  await removeDeployment(rollout.adminUrl, old);
  await stopOld();
  return { latest, replaced: [], details: { drained: true, drainMs, removed: old } };
}

/** The procedure `name` deploying `version` over the stack's Worker (the old version); what it starts stops with the stack. */
export function deployProcedure(name: DeployProcedureName, stack: Stack, version: WorkerVersion): DeployProcedure {
  const rollout = new Rollout(stack, version);
  let old = "";
  let next: StartedWorker | undefined;
  const prepareNext = async (): Promise<DeployStep> => {
    old = await latestDeployment(rollout.adminUrl);
    next = await rollout.startNext();
    return { latest: old, replaced: [], details: { old, nextUrl: next.url } };
  };
  const registerNext = async (): Promise<DeployStep> => {
    const registered = await rollout.register(next!.url);
    return { latest: registered.id, replaced: [], details: { registered: registered.id, created: registered.created } };
  };
  const nothing = async (): Promise<DeployStep> => ({ latest: await latestDeployment(rollout.adminUrl), replaced: [], details: {} });
  switch (name) {
    case "versioned":
      return {
        prepare: prepareNext,
        cutOver: registerNext,
        finish: async () => drainAndRemove(rollout, old, (await nothing()).latest, () => stack.worker.stop()),
      };
    case "in-place":
      return {
        prepare: async () => {
          old = await latestDeployment(rollout.adminUrl);
          return { latest: old, replaced: [], details: { old } };
        },
        cutOver: async () => {
          const at = await rollout.replaceOld();
          return { latest: old, replaced: [{ deployment: old, version: version.name, at }], details: {} };
        },
        finish: nothing,
      };
    case "stop-before-drain":
      return {
        prepare: prepareNext,
        cutOver: async () => {
          const step = await registerNext();
          await stack.worker.stop();
          return { ...step, details: { ...step.details, stopped: old } };
        },
        finish: nothing,
      };
    case "alias": {
      let alias: AliasProxy | undefined;
      let aliased = "";
      return {
        prepare: async () => {
          await prepareNext();
          alias = await AliasProxy.start(stack.worker.url);
          stack.adopt(() => alias!.stop());
          const registered = await rollout.register(alias.url);
          aliased = registered.id;
          return { latest: aliased, replaced: [], details: { alias: alias.url, registered: aliased } };
        },
        cutOver: async () => {
          const step = await registerNext();
          alias!.pointAt(next!.url);
          return { ...step, replaced: [{ deployment: aliased, version: version.name, at: Date.now() }] };
        },
        finish: async () => drainAndRemove(rollout, aliased, (await nothing()).latest, () => stack.worker.stop()),
      };
    }
    case "rollback-reregister":
      return {
        prepare: prepareNext,
        cutOver: registerNext,
        finish: async () => {
          const again = await rollout.register(stack.worker.url, false);
          return { latest: old, replaced: [], details: { reregistered: again.id, created: again.created } };
        },
      };
  }
}

/** The ways of upgrading Restate under bookings in flight the gate knows: the right one, and a classic mistake. */
export const UPGRADE_PROCEDURES = {
  "in-place":
    "the Worker unchanged; Restate stopped gracefully with bookings in flight and started again as the next release on the same data, ports and settings",
  "empty-data": "as in-place, but the next release started on an empty data folder, as a container upgraded without its volume",
} as const;

export type UpgradeProcedureName = keyof typeof UPGRADE_PROCEDURES;

/** What a server upgrade's cut-over step records in its details (a type, so it is a step's details as it is). */
export type UpgradeStepDetails = {
  from: string;
  to: string;
  /** The old release stopped by itself within its grace (not killed). */
  graceful: boolean;
  /** From the old release's stop to the next one's readiness. */
  downMs: number;
  /** The lines the next release's log calls deprecated. */
  deprecations: string[];
};

/** The lines a server's log gained since `offset` (bytes) that warn of a deprecated setting. */
function deprecationsSince(logPath: string | undefined, offset: number): string[] {
  if (logPath === undefined || !existsSync(logPath)) return [];
  const added = readFileSync(logPath).subarray(offset).toString("utf8");
  return [
    ...new Set(
      added
        .split("\n")
        .filter((line) => /deprecated/i.test(line))
        .map((line) => line.replace(/^.*?(Using the deprecated|deprecated)/i, "$1").trim()),
    ),
  ];
}

/**
 * Upgrades the stack's Restate to `next` while bookings are in flight, as `name` says (UPGRADE_PROCEDURES): the old
 * release stopped gracefully, the next started on the same ports and settings. The Worker stays as it is; the step
 * records how long Restate was down, whether the old release stopped by itself, and the settings the next release
 * calls deprecated.
 */
export function serverUpgradeProcedure(name: UpgradeProcedureName, stack: Stack, next: RestateBinary): DeployProcedure {
  const restate = stack.restate;
  let old = "";
  return {
    prepare: async () => {
      if (restate.upgrade === undefined) throw new NexusError("usage", `the ${restate.runtime} runtime cannot upgrade Restate in place: use --runtime binary`);
      old = await latestDeployment(restate.adminUrl);
      return { latest: old, replaced: [], details: { release: restate.version } };
    },
    cutOver: async () => {
      const from = restate.version;
      const logOffset = restate.logPath && existsSync(restate.logPath) ? statSync(restate.logPath).size : 0;
      const started = Date.now();
      const { graceful } = await restate.upgrade!(next, { emptyData: name === "empty-data" });
      const details: UpgradeStepDetails = {
        from,
        to: restate.version,
        graceful,
        downMs: Date.now() - started,
        deprecations: deprecationsSince(restate.logPath, logOffset),
      };
      return { latest: old, replaced: [], details };
    },
    // Nothing to drain or remove: Restate is meant to serve the Worker from its one deployment throughout.
    finish: async () => ({ latest: old, replaced: [], details: {} }),
  };
}
