/**
 * The certificates of a slot's TLS hosts: one secure context per host with SSLEngine on, made
 * when the slot starts (a graceful restart's new slots read renewed files), and the choice of
 * one for a handshake by the server name the client sent, with the rules that choose a
 * request's host ({@link VirtualHostTable}).
 *
 * @module
 */

import tls from "node:tls";
import {
  ConfigError,
  ConfigErrors,
  type HostConfig,
  type HttpProtocol,
  type ServerConfig,
  TLS_VERSIONS,
  type TlsVersion,
  withChain,
} from "../server/config/mod.ts";
import type { TlsAcceptOptions } from "../server/http/mod.ts";
import type { Logger } from "../server/log/mod.ts";
import type { SlotWriter } from "../scoreboard/mod.ts";
import { describeError } from "../base/mod.ts";
import { VirtualHostTable } from "./virtual_hosts.ts";

/** Where a slot reports its handshakes: the log (failures, at info) and its scoreboard record. */
export interface HandshakeReport {
  /** Where failed handshakes are logged, at info with the client and the reason. */
  readonly logger: Logger;
  /** The slot's scoreboard record, which counts every handshake by its outcome. */
  readonly record: Pick<SlotWriter, "countTlsHandshake">;
}

/**
 * How the slot answers TLS handshakes, or `null` when no Listen address is https.
 *
 * @throws {ConfigErrors} when a certificate or key file cannot be read or used (changed since
 *   the configuration was checked).
 */
export function tlsAcceptOptions(
  config: ServerConfig,
  report: HandshakeReport,
): TlsAcceptOptions | null {
  if (!config.listen.some((address) => address.protocol === "https")) return null;
  const contexts = config.hosts.map((host) => host.tls.engine ? secureContext(host) : null);
  const first = contexts.find((c) => c !== null);
  if (first === undefined || first === null) {
    throw new ConfigErrors([
      new ConfigError({
        at: { file: config.file ?? "embedded default", line: null, column: null },
        directive: "SSLEngine",
        detail: "Cannot serve https: no host has SSLEngine on",
      }),
    ]);
  }
  const table = new VirtualHostTable(config.hosts);
  const versions = config.hosts.filter((host) => host.tls.engine).map((h) => h.tls.protocols);
  const rank = (v: TlsVersion) => TLS_VERSIONS.indexOf(v);
  const alpnOf = (host: HostConfig) => host.protocols.flatMap((p) => ALPN_NAMES[p]);
  const alpnLists = new Set(config.hosts.map((host) => alpnOf(host).join(",")));
  return {
    contextFor(serverName, local) {
      const endpoint = { hostname: local.hostname, port: local.port };
      const chosen = contexts[table.select(endpoint, serverName)];
      // A name that picks a host without SSLEngine gets the address's default host's.
      return chosen ?? contexts[table.select(endpoint, "")] ?? first;
    },
    byServerName: contexts.filter((c) => c !== null).length > 1,
    alpnProtocols: alpnLists.size === 1 ? alpnOf(config.hosts[0]) : null,
    protocolFor(serverName, local, offered) {
      const endpoint = { hostname: local.hostname, port: local.port };
      const host = config.hosts[table.select(endpoint, serverName)] ?? config.hosts[0];
      return alpnOf(host).find((name) => offered.includes(name)) ?? null;
    },
    minVersion: TLS_VERSIONS[Math.min(...versions.map((v) => rank(v.min)))]!,
    maxVersion: TLS_VERSIONS[Math.max(...versions.map((v) => rank(v.max)))]!,
    onHandshake(outcome, remote) {
      if (outcome.kind === "completed") {
        report.record.countTlsHandshake("completed");
        return;
      }
      report.record.countTlsHandshake(outcome.reason);
      report.logger.info(
        `Cannot complete a TLS handshake with ${remote.hostname} (${outcome.reason}): ${outcome.detail}`,
      );
    },
  };
}

/**
 * The ALPN names of each of Protocols' words: HTTP/1.1 covers HTTP/1.0, for clients that offer
 * only that (rustls refuses a handshake whose ALPN lists share nothing); h2c is not a TLS
 * protocol.
 */
const ALPN_NAMES: Readonly<Record<HttpProtocol, readonly string[]>> = {
  "h2": ["h2"],
  "http/1.1": ["http/1.1", "http/1.0"],
  "h2c": [],
};

/**
 * The error refusing the config's first https address where TLS cannot be served (`where`:
 * `"under -X: …"`), or `null` when every address is plain HTTP.
 */
export function httpsRefusal(config: ServerConfig, where: string): ConfigErrors | null {
  const https = config.listen.find((address) => address.protocol === "https");
  if (https === undefined) return null;
  return new ConfigErrors([
    new ConfigError({
      at: { file: https.origin, line: null, column: null },
      directive: "Listen",
      detail: `Cannot serve https ${where}`,
    }),
  ]);
}

/** The host's certificate, chain and key as one context: as the parent read them, if it did. */
function secureContext(host: HostConfig): tls.SecureContext {
  const { certificateFile, keyFile, chainFile, protocols, credentials } = host.tls;
  const where = { file: host.declaredAt, line: null, column: null };
  if (certificateFile === null) {
    throw new ConfigErrors([
      new ConfigError({
        at: where,
        directive: "SSLCertificateFile",
        detail: `Cannot use SSLEngine on for ${host.serverName}: no SSLCertificateFile is set`,
      }),
    ]);
  }
  try {
    const own = credentials?.certificate ?? Deno.readTextFileSync(certificateFile);
    const key = credentials?.key ?? (keyFile === null ? own : Deno.readTextFileSync(keyFile));
    const cert = credentials !== null || chainFile === null
      ? own
      : withChain(own, Deno.readTextFileSync(chainFile));
    return tls.createSecureContext({
      cert,
      key,
      minVersion: protocols.min,
      maxVersion: protocols.max,
    });
  } catch (error) {
    throw new ConfigErrors([
      new ConfigError({
        at: where,
        directive: "SSLCertificateFile",
        detail: `Cannot use the certificate of ${host.serverName} (${certificateFile}): ${
          describeError(error)
        }`,
        cause: error,
      }),
    ]);
  }
}
