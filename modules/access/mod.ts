/**
 * Access control (mod_authz_core, mod_authz_host, mod_authz_user, mod_auth_basic,
 * mod_authn_file): a host's per-path sections decide, for each request, whether it goes on to
 * the modules that answer it, needs Basic credentials (401), or is refused (403).
 *
 * @example
 * ```ts
 * import { createAccessHandler } from "./mod.ts";
 * import { AliasMap } from "../alias/mod.ts";
 * import type { HostConfig } from "../../server/config/mod.ts";
 * import type { Logger } from "../../server/log/mod.ts";
 *
 * declare const host: HostConfig;
 * declare const logger: Logger;
 * const access = createAccessHandler(host, { logger, aliases: new AliasMap(host.aliases) });
 * ```
 *
 * @module
 */

export {
  type AccessOptions,
  AccessSections,
  type AccessSectionsOptions,
  type AuthzResult,
  type AuthzSubject,
  type CompiledRequirement,
  compileRequirement,
  createAccessHandler,
  decide,
  type EffectiveAccess,
  type PathAccess,
} from "./access_handler.ts";
