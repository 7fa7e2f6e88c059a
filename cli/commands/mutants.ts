import { mutantsJob } from "../../jobs/mutants-job.js";
import { NexusError } from "../../harness/system/errors.js";
import { countOf, flagOf, listOf, type CommandSpec } from "../command.js";

/** `nexus mutants`: prove the gates. */
export const mutantsCommand: CommandSpec = {
  name: "mutants",
  summary: "prove the gates: run them against Workers with known bugs put back; every mutant must be killed",
  options: {
    mutant: { type: "string", multiple: true, value: "NAME", help: "run only this mutant (nexus list mutants names them)" },
    "every-gate": { type: "boolean", help: "run every gate listed for a mutant, not only up to the first that kills it" },
    lanes: { type: "string", value: "N", help: "run N mutants at once, each on its own stacks (default 1)" },
  },
  run(args) {
    const lanes = countOf(args, "lanes");
    if (lanes === 0) throw new NexusError("usage", "--lanes takes 1 or more");
    return mutantsJob({ names: listOf(args, "mutant"), everyGate: flagOf(args, "every-gate"), lanes });
  },
};
