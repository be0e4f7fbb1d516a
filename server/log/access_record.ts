/**
 * What an HTTP engine reports about each finished exchange, for the access logs and the
 * scoreboard. Plain data: the engines fill it, log formatters read it.
 *
 * @module
 */

/** A network endpoint as seen by the server. */
export interface Endpoint {
  /** Numeric address, e.g. `127.0.0.1` or `::1`. */
  readonly hostname: string;
  /** TCP port. */
  readonly port: number;
}

/** Header fields in the order sent, names as written. */
export type HeaderFields = ReadonlyArray<readonly [name: string, value: string]>;

/** What a TLS connection negotiated (`%{SSL_PROTOCOL}x`, `%{SSL_CIPHER}x`, `%{SSL_TLS_SNI}x`). */
export interface TlsRecord {
  /** `TLSv1.3`, `TLSv1.2`. */
  readonly protocol: string;
  /** The cipher suite, by its OpenSSL name. */
  readonly cipher: string;
  /** The server name the client sent (SNI), or `null`. */
  readonly serverName: string | null;
}

/** One finished request/response exchange, including rejected requests (4xx from the parser). */
export interface AccessRecord {
  /** The client's address (`%h`, `%a`). */
  readonly remote: Endpoint;
  /** The address the request arrived on (`%A`, `%p`). */
  readonly local: Endpoint;
  /** Wall-clock ms since the epoch when the request head was complete (or the error detected). */
  readonly startedAt: number;
  /** Time from `startedAt` until the last byte of the response was handed to the socket. */
  readonly durationUs: number;
  /** The request line as received (without CRLF), or `""` when none could be read. */
  readonly requestLine: string;
  /** `""` when the request could not be parsed. */
  readonly method: string;
  /** Percent-encoded path of the target (no query), `""` when unparsed. */
  readonly path: string;
  /** Query without `?`, or `""`. */
  readonly query: string;
  /** `HTTP/1.0`, `HTTP/1.1`, or `""` when unparsed. */
  readonly protocol: string;
  /** Request header fields by lower-case name (empty when unparsed). */
  readonly requestHeaders: ReadonlyMap<string, string>;
  /** The final status sent (`%>s`). */
  readonly status: number;
  /** The response's header fields as sent, including those the engine added. */
  readonly responseHeaders: HeaderFields;
  /** Response body bytes sent (headers excluded), as mod_log_config's `%b`/`%B`. */
  readonly bodyBytes: number;
  /**
   * Bytes received for this request as they came over the wire (mod_logio's `%I`): the head
   * with its CRLFs, then the body with its chunked framing and trailers, including body bytes
   * the engine read away after the handler. Bytes of a pipelined next request are not
   * counted; for a request refused or timed out, every byte read for it is.
   */
  readonly receivedBytes: number;
  /**
   * Bytes sent for this request as they went over the wire (mod_logio's `%O`): any
   * `100 Continue`, the response head, and the body with its chunked framing. A failed send
   * counts what was written before the failure.
   */
  readonly sentBytes: number;
  /** Requests served on this connection before this one (`%k`: 0 for the first). */
  readonly keepAliveRequests: number;
  /** Connection status when the response completed (`%X`): `+` kept alive, `-` closed, `X` aborted. */
  readonly connectionStatus: "+" | "-" | "X";
  /** ServerName of the host that answered (`%v`). */
  readonly serverName: string;
  /** What the connection's TLS negotiated, or `null` on plain HTTP. */
  readonly tls: TlsRecord | null;
}
