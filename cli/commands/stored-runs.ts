import { checkJob } from "../../jobs/check-job.js";
import { reportJob } from "../../jobs/report-job.js";
import { onePositional, type CommandSpec } from "../command.js";

/** `nexus check`: re-judge a stored run. */
export const checkCommand: CommandSpec = {
  name: "check",
  summary: "re-run the checkers on a stored run, without any server",
  positionals: "RUN_DIR",
  options: {},
  run: (args) => checkJob(onePositional(args, "check", "run folder, e.g. reports/out/latest")),
};

/** `nexus report`: rebuild a stored run's report. */
export const reportCommand: CommandSpec = {
  name: "report",
  summary: "rebuild the HTML report (index.html) and junit.xml of a stored run",
  positionals: "RUN_DIR",
  options: {},
  run: (args) => reportJob(onePositional(args, "report", "run folder, e.g. reports/out/latest")),
};
