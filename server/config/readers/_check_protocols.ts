/**
 * The warnings of the Protocols directives: what is read but not served (h2c, H2Direct).
 *
 * @module
 */

import { type ConfigLocation, formatLocation, H2C_NOT_SERVED, type ServerConfig } from "../mod.ts";

/** Warnings for the hosts that name h2c or write H2Direct, once per place written. */
export function protocolWarnings(
  config: ServerConfig,
  hostLocations: readonly Readonly<Record<string, ConfigLocation>>[],
  file: ConfigLocation,
): string[] {
  const warnings = new Set<string>();
  config.hosts.forEach((host, i) => {
    const locations = hostLocations[i] ?? {};
    if (host.protocols.includes("h2c")) {
      const at = locations["Protocols"] ?? hostLocations[0]?.["Protocols"] ?? file;
      warnings.add(`${formatLocation(at)}: Protocols h2c: ${H2C_NOT_SERVED}`);
    }
    const direct = locations["H2Direct"];
    if (direct !== undefined) {
      warnings.add(`${formatLocation(direct)}: H2Direct: ${H2C_NOT_SERVED}`);
    }
  });
  return [...warnings];
}
