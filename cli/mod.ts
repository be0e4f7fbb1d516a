/**
 * The command line's parts that `main.ts` wires together: what `-v`, `-V` and `-l` print.
 *
 * @module
 */

export {
  buildReport,
  type BuildReportInput,
  COMPILED_MODULES,
  moduleReport,
  versionReport,
} from "./version_report.ts";
