/**
 * The configuration's readers: mpmd's YAML config, or httpd's own syntax (an existing
 * httpd.conf, see `httpd_conf/`), and `-C` / `-c` arguments, read into the one validated,
 * serialisable `ServerConfig` of `../mod.ts` with httpd 2.4's defaults, reporting every problem
 * at once with its file and line. The command line uses them; no slot loads them.
 *
 * Keys are httpd's directive names. Sources apply in httpd's order: `-C` arguments, then the
 * file (its IfDefine sections after its top level), then `-c` arguments; a later source
 * replaces an earlier value, except that Options `+X`/`-X`, AddType and LogFormat adjust it.
 * Lists that httpd lets you repeat (Listen, CustomLog, ServerAlias, DirectoryIndex) and App add up
 * within one source, so a `-c Listen` replaces the file's whole list.
 *
 * Where mpmd differs from httpd 2.4, on purpose:
 * - `Options` defaults to none: symbolic links out of the DocumentRoot are not followed
 *   unless `FollowSymLinks` is set (httpd defaults to FollowSymLinks).
 * - `ErrorLog` defaults to stderr (containers); `PidFile` to `logs/mpmd.pid`; `ServerName`
 *   to `localhost`; `DocumentRoot` to `htdocs` under ServerRoot, which must exist.
 * - MPM directives go in their MPM's section (`prefork:`, …); every section is checked, the
 *   active MPM's is used, and a directive of another MPM is ignored with a warning.
 * - IfDefine sections override the top level whatever their position in the file.
 * - Names are case-sensitive (a wrong case gets "did you mean"); Listen takes numeric
 *   addresses only (port 0 allowed); a CustomLog format without `%` must name a LogFormat
 *   (httpd would log the word itself); RequestReadTimeout knows `header` and `body` only.
 *
 * @example
 * ```ts
 * import { ConfigErrors, loadConfig } from "./mod.ts";
 *
 * try {
 *   const { config, warnings } = await loadConfig({
 *     file: "mpmd.yaml",
 *     directivesAfter: ["KeepAlive Off"],
 *     platformDefaultMpm: "event",
 *     installDir: "/opt/mpmd",
 *   });
 *   console.log(config.listen, warnings);
 * } catch (e) {
 *   if (e instanceof ConfigErrors) console.error(e.message); // one problem per line
 *   else throw e;
 * }
 * ```
 *
 * @module
 */

export { checkConfig, type CheckConfigInput, type CheckConfigResult } from "./check_config.ts";
export {
  type Accounts,
  type ListenOverride,
  type LoadedConfig,
  type ParseConfigOptions,
  parseConfigText,
} from "./parse_config.ts";
export { loadConfig, type LoadConfigOptions, type ServeWhat } from "./load_config.ts";
export { appConfigYaml, defaultConfigYaml, directoryConfigYaml } from "./default_config.ts";
export {
  CONFIG_SYNTAXES,
  type ConfigSyntax,
  configSyntaxOf,
  configToYaml,
  type ConfigToYamlOptions,
  type DumpInput,
  type HttpdConfFiles,
  moduleListReport,
  runConfigReport,
  virtualHostReport,
} from "./httpd_conf/mod.ts";
