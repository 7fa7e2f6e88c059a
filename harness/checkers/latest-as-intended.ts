import { deployStepsOf, latestObservedOf } from "../history/deploys.js";
import { Findings, type Checker } from "./checker.js";

/**
 * After each deploy step, Restate sends new invocations where the procedure meant them to go: every service's latest
 * deployment (read from Restate right after the step, observer op "latest") is the step's `latest`, and every service
 * Restate served after the first step is still served. A rollback that registers an old URL again, which Restate
 * answers "unchanged", leaves the new version serving; a server that lost its registrations serves nothing: both are
 * caught here.
 */
export const latestAsIntended: Checker = {
  name: "latest-as-intended",
  check(history) {
    const found = new Findings();
    const steps = deployStepsOf(history);
    const observed = latestObservedOf(history);
    const served = new Set(Object.keys(observed[0]?.services ?? {}));
    for (const step of steps) {
      const seen = observed.find((o) => o.step === step.step);
      if (seen === undefined) {
        found.add(`no reading of Restate's latest deployments after the ${step.step} step`);
        continue;
      }
      const gone = [...served].filter((service) => !(service in seen.services));
      if (gone.length > 0) found.add(`after the ${step.step} step (${step.procedure}) Restate no longer serves ${gone.join(", ")}`);
      for (const [service, deployment] of Object.entries(seen.services)) {
        if (deployment !== step.latest)
          found.add(
            `after the ${step.step} step (${step.procedure}) Restate sends new ${service} invocations to ${deployment}, the procedure meant ${step.latest}`,
          );
      }
    }
    return found.result({ steps: steps.length });
  },
};
