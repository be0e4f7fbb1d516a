/**
 * Per-directory configuration (httpd's directory walk): the `<Directory>` and
 * `<DirectoryMatch>` sections of a host and the access files (`.htaccess`) that AllowOverride
 * lets them read, merged for each directory once and kept, revalidated by stat as static files
 * are. The access, static and alias modules ask it what applies where a request leads.
 *
 * @example
 * ```ts
 * import { DirectoryConfigs } from "./mod.ts";
 * import type { HostConfig } from "../../server/config/mod.ts";
 * import type { Logger } from "../../server/log/mod.ts";
 *
 * declare const host: HostConfig;
 * declare const logger: Logger;
 * const configs = new DirectoryConfigs(host, {
 *   roots: [host.documentRoot],
 *   serverRoot: "/etc/mpmd",
 *   modules: { mpm: "event", loadable: [] },
 *   logger,
 * });
 * const here = configs.get(`${host.documentRoot}/sub`, Date.now());
 * console.log(here.indexes, here.directoryIndex, here.access.require);
 * ```
 *
 * @module
 */

export {
  type AccessFileProblem,
  type AccessRules,
  type DirectoryConfig,
  DirectoryConfigs,
  type DirectoryConfigsOptions,
  type FilesSection,
} from "./directory_configs.ts";
