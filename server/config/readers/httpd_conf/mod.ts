/**
 * Reading httpd's own config syntax (httpd.conf, Debian's apache2.conf), so that an Apache
 * user can point mpmd at the files they have. The reader produces the same occurrences as the
 * YAML reader, so one set of directive tables parses, defaults and checks both: see
 * `parseConfigText()`, which picks the reader with {@link configSyntaxOf}.
 *
 * What it reads: directives with quoted and unquoted arguments, `\` continuations, `#`
 * comments, names in any case; `<IfModule>` (`!`, identifiers and source file names),
 * `<IfDefine>`, `Define` / `UnDefine` and `${NAME}` (Defines first, then the environment),
 * `Include` / `IncludeOptional` (files, directories, wildcards; relative to ServerRoot);
 * `LoadModule mpm_<name>_module` to choose the MPM; the first `<VirtualHost>`; `<Directory>`
 * sections that hold the DocumentRoot; `<Location>` with `SetHandler server-status`.
 * Everything else is skipped with one warning per directive name or section.
 *
 * @example
 * ```ts
 * import { configSyntaxOf, moduleListReport } from "./mod.ts";
 *
 * configSyntaxOf("/etc/apache2/apache2.conf", "Listen 80\n"); // "httpd"
 * console.log(moduleListReport("event", "shared"));
 * ```
 *
 * @module
 */

export { CONFIG_SYNTAXES, type ConfigSyntax, configSyntaxOf } from "./config_syntax.ts";
export { configToYaml, type ConfigToYamlOptions } from "./config_to_yaml.ts";
export { type DumpInput, runConfigReport, virtualHostReport } from "./dump_reports.ts";
export { DISK_FILES } from "./disk_files.ts";
export {
  type HttpdConfRead,
  MAX_INCLUDE_DEPTH,
  readHttpdConf,
  type ReadHttpdConfOptions,
} from "./read_httpd_conf.ts";
export { type HttpdConfFiles, includedFiles, type IncludeResult } from "./includes.ts";
export { moduleListReport } from "../../httpd_syntax/mod.ts";
