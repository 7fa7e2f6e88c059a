import { mutantsJob } from "../../jobs/mutants-job.js";
import { flagOf, listOf, type CommandSpec } from "../command.js";

/** `nexus mutants`: prove the gates. */
export const mutantsCommand: CommandSpec = {
  name: "mutants",
  summary: "prove the gates: run them against Workers with known bugs put back; every mutant must be killed",
  options: {
    mutant: { type: "string", multiple: true, value: "NAME", help: "run only this mutant (nexus list mutants names them)" },
    "every-gate": { type: "boolean", help: "run every gate listed for a mutant, not only up to the first that kills it" },
  },
  run: (args) => mutantsJob({ names: listOf(args, "mutant"), everyGate: flagOf(args, "every-gate") }),
};
