/**
 * `-t` loads every App module as a slot would before serving, so that a module with a syntax
 * error, a missing import or no default `fetch` fails the check instead of the start.
 *
 * @module
 */

import { AppModuleError, importAppModule } from "../modules/mod.ts";
import { ConfigError, ConfigErrors } from "../server/config/mod.ts";
import type { LoadedConfig } from "../server/config/readers/mod.ts";

/**
 * Imports each App module of the configuration (their top-level code runs, in this process).
 *
 * @throws {ConfigErrors} one error per module that cannot be loaded, at the App directive.
 */
export async function checkAppModules(loaded: LoadedConfig): Promise<void> {
  const errors: ConfigError[] = [];
  for (const mount of loaded.config.hosts.flatMap((host) => host.apps)) {
    try {
      await importAppModule(mount.module);
    } catch (error) {
      if (!(error instanceof AppModuleError)) throw error;
      errors.push(
        new ConfigError({ at: loaded.placeOf("App"), directive: "App", detail: error.message }),
      );
    }
  }
  if (errors.length > 0) throw new ConfigErrors(errors);
}
