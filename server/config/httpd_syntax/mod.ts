/**
 * httpd's configuration syntax as both of its readers need it: the httpd.conf reader
 * (`readers/httpd_conf/`) and the access files (`.htaccess`) that a serving slot reads while
 * it runs. Its logical lines and sections, httpd's own directive and module names, and the
 * access-file reader. What a Worker may load: no YAML, no file reading.
 *
 * @example
 * ```ts
 * import { parseAccessFile } from "./mod.ts";
 * import { parseAllowOverride } from "../mod.ts";
 *
 * const result = parseAccessFile("Require valid-user\n", {
 *   file: "/srv/www/private/.htaccess",
 *   directory: "/srv/www/private",
 *   allowOverride: parseAllowOverride("AuthConfig"),
 *   serverRoot: "/etc/mpmd",
 *   modules: { mpm: "event", loadable: ["ssl_module"] },
 * });
 * if (!result.ok) console.log(`line ${result.line}: ${result.reason}`);
 * ```
 *
 * @module
 */

export {
  type AccessFileContent,
  type AccessFileOptions,
  type AccessFileResult,
  parseAccessFile,
} from "./access_file.ts";
export { type LogicalLine, logicalLines, type ParsedLine, parseLine } from "./lines.ts";
export {
  BUILTIN_MODULES,
  hasModule,
  type HttpdModule,
  isMpmModuleId,
  LOADABLE_MODULES,
  moduleListReport,
  type ModulesInEffect,
  MPM_MODULES,
  mpmOfModule,
  namesModule,
} from "./modules.ts";
export {
  HTTPD_DIRECTIVE_NAMES,
  HTTPD_DIRECTIVE_SPELLINGS,
  HTTPD_MODULE_IDS,
} from "./httpd_directives.ts";
