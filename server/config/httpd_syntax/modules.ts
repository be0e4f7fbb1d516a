/**
 * The httpd modules mpmd implements, under the names httpd gives them: the module identifier
 * that `LoadModule` and `<IfModule>` use (`mime_module`) and the source file name that
 * `<IfModule>` also accepts (`mod_mime.c`). They are all built in ("static"), except the MPM,
 * which `LoadModule mpm_<name>_module` selects.
 *
 * @module
 */

import { MPM_NAMES, type MpmName } from "../mod.ts";

/** One module: its identifier, and every other name `<IfModule>` knows it by. */
export interface HttpdModule {
  /** The identifier, as `LoadModule` and `-M` write it (`status_module`). */
  readonly id: string;
  /** Other names `<IfModule>` accepts: source file names (`mod_status.c`), aliases. */
  readonly otherNames: readonly string[];
}

/** The modules built into mpmd, in the order `-M` lists them (httpd's own order). */
export const BUILTIN_MODULES: readonly HttpdModule[] = [
  { id: "core_module", otherNames: ["core.c"] },
  { id: "so_module", otherNames: ["mod_so.c"] },
  { id: "http_module", otherNames: ["http_core.c"] },
  { id: "mime_module", otherNames: ["mod_mime.c"] },
  { id: "log_config_module", otherNames: ["mod_log_config.c"] },
  { id: "reqtimeout_module", otherNames: ["mod_reqtimeout.c"] },
  { id: "status_module", otherNames: ["mod_status.c"] },
  { id: "autoindex_module", otherNames: ["mod_autoindex.c"] },
  { id: "dir_module", otherNames: ["mod_dir.c"] },
  { id: "alias_module", otherNames: ["mod_alias.c"] },
  { id: "authn_file_module", otherNames: ["mod_authn_file.c"] },
  { id: "authn_core_module", otherNames: ["mod_authn_core.c"] },
  { id: "authz_host_module", otherNames: ["mod_authz_host.c"] },
  { id: "authz_user_module", otherNames: ["mod_authz_user.c"] },
  { id: "authz_core_module", otherNames: ["mod_authz_core.c"] },
  { id: "auth_basic_module", otherNames: ["mod_auth_basic.c"] },
  { id: "headers_module", otherNames: ["mod_headers.c"] },
  { id: "filter_module", otherNames: ["mod_filter.c"] },
  { id: "deflate_module", otherNames: ["mod_deflate.c"] },
  { id: "brotli_module", otherNames: ["mod_brotli.c"] },
  { id: "proxy_module", otherNames: ["mod_proxy.c"] },
  { id: "proxy_http_module", otherNames: ["mod_proxy_http.c"] },
  { id: "proxy_balancer_module", otherNames: ["mod_proxy_balancer.c"] },
  { id: "lbmethod_byrequests_module", otherNames: ["mod_lbmethod_byrequests.c"] },
  { id: "lbmethod_bybusyness_module", otherNames: ["mod_lbmethod_bybusyness.c"] },
  { id: "lbmethod_bytraffic_module", otherNames: ["mod_lbmethod_bytraffic.c"] },
  { id: "proxy_hcheck_module", otherNames: ["mod_proxy_hcheck.c"] },
];

/**
 * Modules mpmd has that count as loaded only once a LoadModule names them, as a
 * distribution's httpd.conf expects: Debian's ports.conf opens port 443 inside
 * `<IfModule ssl_module>`, which must stay closed until `a2enmod ssl` loads mod_ssl.
 */
export const LOADABLE_MODULES: readonly HttpdModule[] = [
  { id: "ssl_module", otherNames: ["mod_ssl.c"] },
];

/**
 * Each MPM's module. httpd names a module's source file after the file that declares it
 * (`event.c`); `mod_mpm_event.c` follows the shared object's name, and the OS/2 MPM is known
 * both as `mpmt_os2_module` (httpd-mpm.conf) and `mpm_mpmt_os2_module` (its declaration).
 */
export const MPM_MODULES: Readonly<Record<MpmName, HttpdModule>> = {
  prefork: mpmModule("prefork", ["prefork.c"]),
  worker: mpmModule("worker", ["worker.c"]),
  event: mpmModule("event", ["event.c"]),
  winnt: mpmModule("winnt", ["mpm_winnt.c"]),
  netware: mpmModule("netware", ["mpm_netware.c"]),
  mpmt_os2: {
    id: "mpm_mpmt_os2_module",
    otherNames: ["mpmt_os2_module", "mpmt_os2.c", "mod_mpm_mpmt_os2.c"],
  },
};

function mpmModule(name: MpmName, files: readonly string[]): HttpdModule {
  return { id: `mpm_${name}_module`, otherNames: [...files, `mod_mpm_${name}.c`] };
}

/** Whether `written` (an `<IfModule>` argument without `!`) names `module`. */
export function namesModule(module: HttpdModule, written: string): boolean {
  return module.id === written || module.otherNames.includes(written);
}

/** The modules a running server has: the built-in ones, its MPM's and the loadable ones in effect. */
export interface ModulesInEffect {
  /** The MPM that runs. */
  readonly mpm: MpmName;
  /** The {@link LOADABLE_MODULES} in effect, by identifier (`ssl_module`). */
  readonly loadable: readonly string[];
}

/**
 * Whether `written` (an `<IfModule>` argument without `!`) names a module the server has, as
 * an access file's `<IfModule>` asks once the server runs and every LoadModule is settled.
 */
export function hasModule(modules: ModulesInEffect, written: string): boolean {
  return BUILTIN_MODULES.some((m) => namesModule(m, written)) ||
    namesModule(MPM_MODULES[modules.mpm], written) ||
    LOADABLE_MODULES.some((m) => modules.loadable.includes(m.id) && namesModule(m, written));
}

/** The MPM whose module `id` is (`mpm_event_module` → event), or `null`. */
export function mpmOfModule(id: string): MpmName | null {
  return MPM_NAMES.find((name) => namesModule(MPM_MODULES[name], id)) ?? null;
}

/** Whether `id` looks like any MPM's module, even one httpd has and mpmd does not. */
export function isMpmModuleId(id: string): boolean {
  return /^mpm_\w+_module$/.test(id);
}

/**
 * `-M` (`-t -D DUMP_MODULES`): the loaded modules as httpd lists them; the MPM is "shared"
 * when a LoadModule (or an MPM directive) chose it, "static" otherwise; `loadable` are the
 * {@link LOADABLE_MODULES} in effect, listed "shared" after the others, as httpd lists the
 * modules LoadModule added.
 */
export function moduleListReport(
  mpm: MpmName,
  loaded: "static" | "shared",
  loadable: readonly string[] = [],
): string {
  const lines = [
    ...BUILTIN_MODULES.map((m) => ` ${m.id} (static)`),
    ` ${MPM_MODULES[mpm].id} (${loaded})`,
    ...loadable.map((id) => ` ${id} (shared)`),
  ];
  return ["Loaded Modules:", ...lines].join("\n");
}
