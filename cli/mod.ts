/**
 * The command line's parts that `main.ts` wires together: its flags, the exit codes, the
 * reading of the configuration they name (and `-t`'s loading of App modules), serving (with the MPM, or `-X`), `-k`, and what
 * `-v`, `-V` and `-l` print.
 *
 * @module
 */

export {
  type Args,
  configDumps,
  EXIT,
  parseCommandLine,
  readConfig,
  type ServeTarget,
  USAGE,
  USAGE_HINT,
} from "./command_line.ts";
export { checkAppModules } from "./check_app_modules.ts";
export { appDenoConfig, runUnder } from "./app_deno_config.ts";
export { serveSingle, serveWithMpm } from "./serve.ts";
export { control, type ControlOutcome } from "./control.ts";
export { restartPreview } from "./running_server.ts";
export {
  buildReport,
  type BuildReportInput,
  COMPILED_MODULES,
  moduleReport,
  versionReport,
} from "./version_report.ts";
