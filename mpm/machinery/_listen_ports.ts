/**
 * The parent's one look at the `Listen` addresses before any child binds them.
 *
 * @module
 */

import type { ListenAddress, ServerConfig } from "../../server/config/mod.ts";
import { openListeners } from "../../server/http/open_listeners.ts";

/**
 * Binds every new `Listen` address once, so that an address in use fails here with its
 * config line, and gives each port-0 address its real port: all children must join the same
 * reuseport group. On a restart, an address the running generation serves is not bound again
 * (a probe in its group could take, and reset, a connection), and a port-0 address keeps the
 * running generation's port at the same position.
 *
 * @throws {ConfigErrors} when an address cannot be bound.
 */
export function resolvePorts(config: ServerConfig, running: ServerConfig | null): ServerConfig {
  const wanted = config.listen.map((address, position) => {
    const previous = running?.listen[position];
    return address.port === 0 && previous?.hostname === address.hostname
      ? { ...address, port: previous.port }
      : address;
  });
  const held = (address: ListenAddress) =>
    running?.listen.some((served) =>
      served.hostname === address.hostname && served.port === address.port
    ) ?? false;
  const probes = openListeners(wanted.filter((address) => !held(address)), { reusePort: true });
  const ports = probes.map((probe) => probe.addr.port);
  for (const probe of probes) probe.close();
  const listen = wanted.map((address) =>
    held(address) ? address : { ...address, port: ports.shift()! }
  );
  return { ...config, listen };
}
