/**
 * mod_ssl's per-host directives that mpmd builds: SSLEngine, SSLCertificateFile,
 * SSLCertificateKeyFile, SSLCertificateChainFile and SSLProtocol; SSLCipherSuite and
 * SSLHonorCipherOrder are read and then left to the TLS library (rustls, through Deno), which
 * offers its own modern suites only; and the mod_ssl directives of a stock httpd.conf (Debian's
 * ssl.conf) whose work the TLS library does its own way, read with a warning or silently.
 *
 * @module
 */

import {
  type Directive,
  DirectiveValueError,
  flag,
  parseText,
  path,
  text,
  wordsOf,
} from "./directive.ts";
import { TLS_VERSIONS, type TlsProtocols, type TlsVersion } from "./server_config.ts";

/** What httpd's SSLProtocol words name, oldest first; only {@link TLS_VERSIONS} are offered. */
const PROTOCOL_WORDS = ["SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"] as const;

/** httpd 2.4's `all`: every version but SSLv3. */
const ALL = ["TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"];

/** httpd's default, `all -SSLv3`: what the TLS library has. */
const DEFAULT_PROTOCOLS: TlsProtocols = { min: "TLSv1.2", max: "TLSv1.3", unavailable: [] };

/**
 * Reads httpd's SSLProtocol words (`all -TLSv1 -TLSv1.1`, `-all +TLSv1.3`, `TLSv1.2`): a word
 * without a sign sets the list, `+` adds, `-` removes. What remains within TLS 1.2 and 1.3
 * must be one version or a range.
 *
 * @throws {DirectiveValueError} for an unknown word, or a list that leaves no version mpmd has.
 */
export function parseSslProtocol(value: unknown): TlsProtocols {
  const on = new Set<string>();
  const unavailable: string[] = [];
  for (const word of wordsOf(value, "protocol")) {
    const m = /^([+-]?)(.+)$/.exec(word)!;
    const sign = m[1];
    const name = m[2]!.toLowerCase() === "all"
      ? "all"
      : PROTOCOL_WORDS.find((p) => p.toLowerCase() === m[2]!.toLowerCase());
    if (name === undefined) {
      throw new DirectiveValueError(
        `${JSON.stringify(word)} is not a protocol (all, ${PROTOCOL_WORDS.join(", ")})`,
      );
    }
    const names = name === "all" ? ALL : [name];
    if (sign === "") on.clear();
    for (const n of names) {
      if (sign === "-") on.delete(n);
      else {
        on.add(n);
        if (name !== "all" && !(TLS_VERSIONS as readonly string[]).includes(n)) {
          unavailable.push(n);
        }
      }
    }
  }
  const offered = TLS_VERSIONS.filter((v) => on.has(v));
  if (offered.length === 0) {
    throw new DirectiveValueError(
      `${JSON.stringify(String(value))} leaves no version the TLS library has (TLSv1.2, TLSv1.3)`,
    );
  }
  return { min: offered[0]!, max: offered.at(-1) as TlsVersion, unavailable };
}

/** A path directive whose default is unset. */
function optionalPath(info: { readonly name: string; readonly help: string }) {
  const p = path({ ...info, default: "" });
  return {
    ...info,
    default: null,
    parse: (value, ctx) => p.parse(value, ctx),
  } satisfies Directive<string | null>;
}

/** Why mpmd reads SSLCipherSuite and SSLHonorCipherOrder without applying them. */
export const CIPHERS_NOT_CHOSEN: string =
  "the TLS library (rustls) offers its own modern suites only (ECDHE with AES-GCM or " +
  "ChaCha20-Poly1305) in its own order, so this is not applied";

/** The per-host mod_ssl directives, by name. */
export const SSL_DIRECTIVES = {
  SSLEngine: flag({
    name: "SSLEngine",
    help: "Whether the host answers TLS on its https Listen addresses (On or Off)",
    default: false,
  }),
  SSLCertificateFile: optionalPath({
    name: "SSLCertificateFile",
    help: "PEM file with the host's certificate, followed by its chain",
  }),
  SSLCertificateKeyFile: optionalPath({
    name: "SSLCertificateKeyFile",
    help: "PEM file with the private key of the host's certificate",
  }),
  SSLCertificateChainFile: optionalPath({
    name: "SSLCertificateChainFile",
    help: "PEM file with the certificate's intermediates, sent after it (deprecated: append " +
      "them to SSLCertificateFile)",
  }),
  SSLProtocol: {
    name: "SSLProtocol",
    help: "TLS versions offered, in httpd's words (all -TLSv1 -TLSv1.1); TLSv1.2 and TLSv1.3 only",
    default: DEFAULT_PROTOCOLS,
    parse: (value) => parseSslProtocol(value),
  } satisfies Directive<TlsProtocols>,
  SSLCipherSuite: {
    ...text({
      name: "SSLCipherSuite",
      help: "OpenSSL cipher list; read but not applied (the TLS library chooses its suites)",
      default: "",
    }),
    // httpd's two-argument form names the protocol first (`SSLCipherSuite TLSv1.3 …`).
    parse: (value, ctx) =>
      parseText(typeof value === "string" ? value : String(value), {
        ...ctx,
        syntax: "yaml",
      }),
  } satisfies Directive<string>,
  SSLHonorCipherOrder: flag({
    name: "SSLHonorCipherOrder",
    help: "Whether the server's cipher order wins; read but not applied",
    default: false,
  }),
} as const;

/** Why SSLCertificateChainFile is read with a warning. */
export const CHAIN_FILE_DEPRECATED: string =
  "deprecated since httpd 2.4.8: append the chain to the SSLCertificateFile instead " +
  "(mpmd appends it for now)";

/**
 * mod_ssl's directives whose work the TLS library does its own way: each gives the warning a
 * value deserves, or `null` when the value already says what happens (read silently).
 */
export const SSL_LEFT_TO_LIBRARY: Readonly<Record<string, (args: string) => string | null>> = {
  // rustls draws its randomness from the operating system.
  SSLRandomSeed: () => null,
  // No key is ever asked a pass phrase for: an encrypted key is refused where it is named.
  SSLPassPhraseDialog: () => null,
  SSLCompression: (args) =>
    /^off$/i.test(args) ? null : "TLS compression is never offered (the TLS library has none)",
  SSLUseStapling: (args) =>
    /^off$/i.test(args) ? null : "OCSP stapling is not offered (the TLS library does not staple)",
  SSLStaplingCache: () => "OCSP stapling is not offered, so nothing is cached",
  SSLSessionCache: () =>
    "each serving process resumes sessions from the TLS library's own memory cache (not shared " +
    "between processes)",
  SSLSessionCacheTimeout: () => "session lifetimes are the TLS library's own",
  SSLSessionTickets: () => "whether session tickets are issued is the TLS library's choice",
};

/**
 * The certificate file's text with SSLCertificateChainFile's after it (`""`: none), as httpd
 * sends them: the certificate, then its intermediates.
 */
export function withChain(certificatePem: string, chainPem: string): string {
  if (chainPem === "") return certificatePem;
  return `${certificatePem.endsWith("\n") ? certificatePem : `${certificatePem}\n`}${chainPem}`;
}
