/**
 * The TLS rules of a configuration: every https Listen address has a host with SSLEngine on,
 * every such host names a certificate and key that can be read and belong together, and what
 * deserves a warning (an expired certificate, a key file everyone may read, versions or cipher
 * settings the TLS library does not apply, the deprecated SSLCertificateChainFile). An
 * encrypted key is refused: mpmd asks for no pass phrase.
 *
 * @module
 */

import { createPrivateKey, X509Certificate } from "node:crypto";
import {
  CHAIN_FILE_DEPRECATED,
  CIPHERS_NOT_CHOSEN,
  ConfigError,
  type ConfigLocation,
  formatListenAddress,
  formatLocation,
  type HostConfig,
  type ListenAddress,
  type ServerConfig,
  type TlsCredentials,
  withChain,
} from "../mod.ts";

/** What {@link checkTls} needs. */
export interface CheckTlsInput {
  readonly config: ServerConfig;
  /** Each host's directive locations, the main server's first. */
  readonly hostLocations: readonly Readonly<Record<string, ConfigLocation>>[];
  /** Where problems of directives left at their default are reported. */
  readonly file: ConfigLocation;
  /** Directives whose written value was refused already. */
  readonly failed: readonly string[];
  /** Reads a file a directive names: its text, or why not. Omitted: files are not checked. */
  readonly readFile?: (path: string) => string | { readonly problem: string };
  /** The permission bits of a file, or `null` when unknown. Omitted: not checked. */
  readonly fileMode?: (path: string) => number | null;
  /** The time certificates are checked against. */
  readonly now: Date;
}

/** Problems that stop the server, those that only deserve a warning, and what was read. */
export interface CheckTlsResult {
  readonly errors: readonly ConfigError[];
  readonly warnings: readonly string[];
  /** Each host's certificate and key as read (by host index), where both were sound. */
  readonly credentials: ReadonlyMap<number, TlsCredentials>;
}

/** Checks the TLS rules; pure apart from the file access it is given. */
export function checkTls(input: CheckTlsInput): CheckTlsResult {
  const { config, hostLocations, file } = input;
  const errors: ConfigError[] = [];
  const warnings = new Set<string>();
  const credentials = new Map<number, TlsCredentials>();
  const at = (host: number, directive: string) =>
    hostLocations[host]?.[directive] ?? hostLocations[0]?.[directive] ?? file;
  const hostAt = (host: number) => {
    const h = config.hosts[host]!;
    return host === 0 ? "the main server" : `the <VirtualHost> at ${h.declaredAt}`;
  };
  const report = (host: number, directive: string, detail: string) => {
    const error = new ConfigError({ at: at(host, directive), directive, detail });
    if (!errors.some((e) => e.message === error.message)) errors.push(error);
  };
  const warn = (where: ConfigLocation, text: string) =>
    warnings.add(`${formatLocation(where)}: ${text}`);

  if (!input.failed.includes("Listen") && !input.failed.includes("SSLEngine")) {
    for (const address of config.listen.filter((a) => a.protocol === "https")) {
      const serving = hostsServing(config.hosts, address);
      if (serving.some((i) => config.hosts[i]!.tls.engine)) continue;
      errors.push(
        new ConfigError({
          at: { file: address.origin, line: null, column: null },
          directive: "Listen",
          detail:
            `Cannot listen on ${
              formatListenAddress(address)
            } https: no host on that address has SSLEngine on (set SSLEngine on, ` +
            "SSLCertificateFile and SSLCertificateKeyFile in its <VirtualHost> or the main server)",
        }),
      );
    }
  }

  config.hosts.forEach((host, i) => {
    const locations = hostLocations[i] ?? {};
    for (const name of ["SSLCipherSuite", "SSLHonorCipherOrder"]) {
      const where = locations[name];
      if (where !== undefined) warn(where, `${name}: ${CIPHERS_NOT_CHOSEN}`);
    }
    const chainAt = locations["SSLCertificateChainFile"];
    if (
      chainAt !== undefined &&
      (i === 0 || chainAt !== hostLocations[0]?.["SSLCertificateChainFile"])
    ) {
      warn(chainAt, `SSLCertificateChainFile: ${CHAIN_FILE_DEPRECATED}`);
    }
    const { unavailable } = host.tls.protocols;
    if (unavailable.length > 0 && locations["SSLProtocol"] !== undefined) {
      warn(
        locations["SSLProtocol"],
        `SSLProtocol ${unavailable.join(", ")}: never offered, the TLS library has ` +
          "TLSv1.2 and TLSv1.3 only",
      );
    }
    if (!host.tls.engine) return;
    const engineAt = locations["SSLEngine"];
    const ownEngine = i === 0 || engineAt !== hostLocations[0]?.["SSLEngine"];
    const https = config.listen.filter((a) => a.protocol === "https");
    if (
      engineAt !== undefined && ownEngine && !input.failed.includes("Listen") &&
      !https.some((address) => hostsServing(config.hosts, address).includes(i))
    ) {
      warn(
        engineAt,
        `SSLEngine on: ${hostAt(i)} is on no https Listen address, so it answers plain HTTP ` +
          '(write "Listen PORT https")',
      );
    }
    const failed = [
      "SSLCertificateFile",
      "SSLCertificateKeyFile",
      "SSLCertificateChainFile",
      "ServerRoot",
    ]
      .some((d) => input.failed.includes(d));
    if (failed) return;
    const certificateFile = host.tls.certificateFile;
    if (certificateFile === null) {
      report(
        i,
        "SSLEngine",
        `Cannot use SSLEngine on in ${hostAt(i)}: no SSLCertificateFile is set for it`,
      );
      return;
    }
    if (input.readFile === undefined) return;
    const certificate = readPem(input.readFile, certificateFile);
    if (typeof certificate !== "string") {
      report(
        i,
        "SSLCertificateFile",
        `Cannot use SSLCertificateFile ${certificateFile}: ${certificate.problem}`,
      );
      return;
    }
    const keyFile = host.tls.keyFile ?? certificateFile;
    const keyDirective = host.tls.keyFile === null ? "SSLCertificateFile" : "SSLCertificateKeyFile";
    const key = host.tls.keyFile === null ? certificate : readPem(input.readFile, keyFile);
    if (typeof key !== "string") {
      report(i, keyDirective, `Cannot use SSLCertificateKeyFile ${keyFile}: ${key.problem}`);
      return;
    }
    const problem = pairProblem(certificate, key, input.now);
    if (problem.error !== null) {
      const directive = problem.of === "key" ? keyDirective : "SSLCertificateFile";
      const path = problem.of === "key" ? keyFile : certificateFile;
      report(i, directive, `Cannot use ${directive} ${path}: ${problem.error}`);
      return;
    }
    const chainFile = host.tls.chainFile;
    const chain = chainFile === null ? "" : readPem(input.readFile, chainFile);
    if (typeof chain !== "string") {
      report(
        i,
        "SSLCertificateChainFile",
        `Cannot use SSLCertificateChainFile ${chainFile}: ${chain.problem}`,
      );
      return;
    }
    credentials.set(i, { certificate: withChain(certificate, chain), key });
    if (problem.warning !== null) {
      warn(
        at(i, "SSLCertificateFile"),
        `SSLCertificateFile ${certificateFile}: ${problem.warning}`,
      );
    }
    const mode = input.fileMode?.(keyFile) ?? null;
    if (mode !== null && (mode & 0o004) !== 0) {
      warn(
        at(i, keyDirective),
        `SSLCertificateKeyFile ${keyFile}: every user may read this private key (chmod o-r ${keyFile})`,
      );
    }
  });
  return { errors, warnings: [...warnings], credentials };
}

/**
 * The hosts whose connections on `address` may be TLS ones: the virtual hosts with a matching
 * address, else the main server (as slot/virtual_hosts.ts chooses them).
 */
function hostsServing(hosts: readonly HostConfig[], address: ListenAddress): number[] {
  const any = address.hostname === "0.0.0.0" || address.hostname === "::";
  const matching = hosts.flatMap((host, i) =>
    host.addresses.some((a) =>
        (a.port === null || address.port === 0 || a.port === address.port) &&
        (a.hostname === null || any || a.hostname === address.hostname)
      )
      ? [i]
      : []
  );
  return matching.length > 0 ? matching : [0];
}

/** PKCS#8's and the traditional (OpenSSL) PEM forms of an encrypted private key. */
const ENCRYPTED_KEY = /-----BEGIN ENCRYPTED PRIVATE KEY-----|^Proc-Type: 4,ENCRYPTED$/m;

function readPem(
  read: (path: string) => string | { readonly problem: string },
  path: string,
): string | { readonly problem: string } {
  const text = read(path);
  if (typeof text !== "string") return text;
  if (!text.includes("-----BEGIN ")) return { problem: "not a PEM file (no -----BEGIN line)" };
  return text;
}

type PairProblem =
  | { readonly error: string; readonly of: "certificate" | "key"; readonly warning: null }
  | { readonly error: null; readonly warning: string | null };

/** Whether the first certificate of `certificatePem` and the key belong together and are in date. */
function pairProblem(certificatePem: string, keyPem: string, now: Date): PairProblem {
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(certificatePem);
  } catch (e) {
    return { error: `not a certificate (${describe(e)})`, of: "certificate", warning: null };
  }
  if (ENCRYPTED_KEY.test(keyPem)) {
    return {
      error:
        "the private key is encrypted, and mpmd asks for no pass phrase (SSLPassPhraseDialog " +
        "is not supported): store it decrypted, readable by root only " +
        "(openssl pkey -in KEY -out KEY.plain)",
      of: "key",
      warning: null,
    };
  }
  let key;
  try {
    key = createPrivateKey(keyPem);
  } catch (e) {
    return { error: `not a private key (${describe(e)})`, of: "key", warning: null };
  }
  if (!certificate.checkPrivateKey(key)) {
    return {
      error: `the key does not belong to the certificate (subject ${certificate.subject})`,
      of: "key",
      warning: null,
    };
  }
  const notAfter = new Date(certificate.validTo);
  const notBefore = new Date(certificate.validFrom);
  if (notAfter < now) {
    return { error: null, warning: `the certificate expired on ${notAfter.toISOString()}` };
  }
  if (notBefore > now) {
    return {
      error: null,
      warning: `the certificate is valid from ${notBefore.toISOString()} only`,
    };
  }
  return { error: null, warning: null };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
