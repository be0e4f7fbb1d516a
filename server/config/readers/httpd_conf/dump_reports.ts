/**
 * What `-S` (`-t -D DUMP_VHOSTS -D DUMP_RUN_CFG`) and `-t -D DUMP_RUN_CFG` print, in the shape
 * httpd prints them, with mpmd's settings: the listeners and the host, ServerRoot, the main
 * DocumentRoot and ErrorLog, PidFile, the defined names, and the MPM with its directives.
 *
 * @module
 */

import { formatListenAddress, type ServerConfig } from "../../mod.ts";

/** A configuration and the names it was read with, as `parseConfigText()` returns them. */
export interface DumpInput {
  /** The validated configuration. */
  readonly config: ServerConfig;
  /** Defined names → value, or `null` for a name without one. */
  readonly variables: Readonly<Record<string, string | null>>;
}

/** `DUMP_VHOSTS`: each listener and the host that answers on it, with where it was set. */
export function virtualHostReport(config: ServerConfig): string {
  const host = config.hosts[0];
  const lines = config.listen.map((address) =>
    `${formatListenAddress(address).padEnd(22)} ${host.serverName} (${address.origin})`
  );
  return ["VirtualHost configuration:", ...lines].join("\n");
}

/** `DUMP_RUN_CFG`: the effective server-wide settings. */
export function runConfigReport(input: DumpInput): string {
  const { config, variables } = input;
  const quoted = (text: string) => JSON.stringify(text);
  const defines = Object.entries(variables).map(([name, value]) =>
    value === null ? `Define: ${name}` : `Define: ${name}=${value}`
  );
  const mpm = Object.entries(config.mpmDirectives).map(([name, value]) => `  ${name}: ${value}`);
  return [
    `ServerRoot: ${quoted(config.serverRoot)}`,
    `Main DocumentRoot: ${quoted(config.hosts[0].documentRoot)}`,
    `Main ErrorLog: ${quoted(config.errorLog)}`,
    `PidFile: ${
      config.pidFile === null ? "none (-k start writes a per-user one)" : quoted(config.pidFile)
    }`,
    ...defines,
    `MPM: ${config.mpm} (chosen by ${config.mpmChosenBy})`,
    ...mpm,
  ].join("\n");
}
