import { NexusError } from "../../harness/system/errors.js";
import { listJob, type ListTopic } from "../../jobs/list-job.js";
import type { CommandSpec } from "../command.js";

const TOPICS: ListTopic[] = ["gates", "mutants", "cells"];

/** `nexus list`: what there is to run. */
export const listCommand: CommandSpec = {
  name: "list",
  summary: "print the gates (with what each needs), the mutants and the benchmark cells; or only the topics named",
  positionals: "[gates|mutants|cells]...",
  options: {},
  run(args) {
    const unknown = args.positionals.filter((p) => !(TOPICS as string[]).includes(p));
    if (unknown.length > 0) throw new NexusError("usage", `nexus list takes ${TOPICS.join(", ")}; not ${unknown.join(", ")}`);
    return listJob(args.positionals.length === 0 ? TOPICS : (args.positionals as ListTopic[]));
  },
};
