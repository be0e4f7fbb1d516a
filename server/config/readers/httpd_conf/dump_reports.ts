/**
 * What `-S` (`-t -D DUMP_VHOSTS -D DUMP_RUN_CFG`) and `-t -D DUMP_RUN_CFG` print, in the shape
 * httpd prints them, with mpmd's settings: the virtual hosts (or the listeners), ServerRoot, the main
 * DocumentRoot and ErrorLog, PidFile, User and Group, the defined names, and the MPM with its directives.
 *
 * @module
 */

import {
  formatListen,
  formatVirtualHostAddress,
  type HostConfig,
  type ServerConfig,
} from "../../mod.ts";

/** A configuration and the names it was read with, as `parseConfigText()` returns them. */
export interface DumpInput {
  /** The validated configuration. */
  readonly config: ServerConfig;
  /** Defined names → value, or `null` for a name without one. */
  readonly variables: Readonly<Record<string, string | null>>;
}

/**
 * `DUMP_VHOSTS`, in httpd's layout: each virtual-host address with its hosts (the first is that
 * address's default), or, without virtual hosts, each listener and the main server.
 */
export function virtualHostReport(config: ServerConfig): string {
  const [main, ...virtualHosts] = config.hosts;
  if (virtualHosts.length === 0) {
    const lines = config.listen.map((address) =>
      `${formatListen(address).padEnd(22)} ${main.serverName} (${address.origin})`
    );
    return ["VirtualHost configuration:", ...lines].join("\n");
  }
  const byAddress = new Map<string, HostConfig[]>();
  for (const host of virtualHosts) {
    for (const address of host.addresses) {
      const key = formatVirtualHostAddress(address);
      byAddress.set(key, [...byAddress.get(key) ?? [], host]);
    }
  }
  const lines = [...byAddress].flatMap(([address, hosts]) => {
    const named = (host: HostConfig) => `${host.serverName} (${host.declaredAt})`;
    if (hosts.length === 1) return [`${address.padEnd(22)} ${named(hosts[0]!)}`];
    const port = address.slice(address.lastIndexOf(":") + 1);
    return [
      `${address.padEnd(22)} is a NameVirtualHost`,
      `${"".padEnd(8)} default server ${named(hosts[0]!)}`,
      ...hosts.flatMap((host) => [
        `${"".padEnd(8)} port ${port} namevhost ${named(host)}`,
        ...host.serverAliases.map((alias) =>
          `${"".padEnd(16)} ${/[*?]/.test(alias) ? "wild alias" : "alias"} ${alias}`
        ),
      ]),
    ];
  });
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
    // httpd's words; its children take them only when started as root, as mpmd's do.
    ...(config.runAs === null ? [] : [
      `User: name=${quoted(config.runAs.user)} id=${config.runAs.uid}`,
      `Group: name=${quoted(config.runAs.group ?? `#${config.runAs.gid}`)} id=${config.runAs.gid}`,
    ]),
    ...defines,
    `MPM: ${config.mpm} (chosen by ${config.mpmChosenBy})`,
    ...mpm,
  ].join("\n");
}
