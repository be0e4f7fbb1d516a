/**
 * TLS on a connection accepted from a shared listening socket. Deno makes server-side TLS only
 * on its own listeners, so the accepted descriptor goes to Node's `net.Socket` (Deno's
 * `node:net`) and from there to a server-side `tls.TLSSocket` (Deno's `node:tls`: rustls). A
 * {@link TlsConnection} then shows that socket as the `Deno.Conn` the engine reads and writes,
 * so that HTTP/1.1 over TLS is served by the same code as plain HTTP.
 *
 * @module
 */

import { Buffer } from "node:buffer";
import net from "node:net";
import tls from "node:tls";
import type { TlsVersion } from "../config/mod.ts";
import type { AcceptedSocket } from "../../platform/mod.ts";
import type { TlsRecord } from "../log/mod.ts";
import type { TlsFailureReason } from "../../scoreboard/mod.ts";
import { handshakeFailureOf } from "./handshake_failure.ts";

/** Received bytes held before the socket is paused: the engine reads at its own pace. */
const HIGH_WATER_BYTES = 256 * 1024;

/** How a connection's handshake ended: completed, or failed and why. */
export type HandshakeOutcome =
  | { readonly kind: "completed" }
  | {
    readonly kind: "failed";
    readonly reason: TlsFailureReason;
    /** What went wrong, in words for the log. */
    readonly detail: string;
  };

/** How {@link acceptTls} answers a handshake. */
export interface TlsAcceptOptions {
  /**
   * The certificate and settings for the server name a client sent (`""`: none) on a
   * connection to `local`.
   */
  contextFor(serverName: string, local: Deno.NetAddr): tls.SecureContext;
  /**
   * Whether the server name can change the certificate (more than one host has SSLEngine
   * on). When it cannot, the handshake skips the SNI callback: with one, Deno's TLS builds the
   * connection's rustls configuration twice (the context given first, then the chosen one),
   * each time parsing the certificate and key again.
   */
  readonly byServerName: boolean;
  /**
   * The protocols ALPN offers, preferred first, when every host offers the same ones; `null`
   * when they differ by host, and {@link protocolFor} chooses once the server name is known
   * (an ALPN callback costs what the SNI callback does).
   */
  readonly alpnProtocols: readonly string[] | null;
  /**
   * The protocol to speak with a client that offered `offered` (ALPN names) asking for
   * `serverName` on `local`: the first of that host's Protocols the client offers too, or
   * `null` when there is none (the handshake is refused).
   */
  protocolFor(serverName: string, local: Deno.NetAddr, offered: readonly string[]): string | null;
  /** The oldest version any host offers. */
  readonly minVersion: TlsVersion;
  /** The newest version any host offers. */
  readonly maxVersion: TlsVersion;
  /**
   * Called once per connection when its handshake ends: completed, or failed (a client
   * speaking plain HTTP, a version refused, a stall the read timeout ended, a client gone).
   */
  onHandshake(outcome: HandshakeOutcome, remote: Deno.NetAddr): void;
}

/**
 * Starts the server side of TLS on `accepted`, whose descriptor the returned connection now
 * owns. The handshake runs as the engine waits for the first request's bytes, so that the
 * header read timeout covers it: a client that stalls it is closed like one that sends nothing.
 */
export function acceptTls(accepted: AcceptedSocket, options: TlsAcceptOptions): TlsConnection {
  const { fd, localAddr, remoteAddr } = accepted;
  const socket = new net.Socket({ fd, readable: true, writable: true });
  const secure = new tls.TLSSocket(socket, {
    isServer: true,
    secureContext: options.byServerName
      ? noCertificate(options)
      : options.contextFor("", localAddr),
    ...(options.byServerName && {
      SNICallback: (
        name: string,
        callback: (error: Error | null, context: tls.SecureContext) => void,
      ) => callback(null, options.contextFor(name, localAddr)),
    }),
    // A client that offers no ALPN is served HTTP/1.1 either way.
    ...(options.alpnProtocols === null
      ? {
        ALPNCallback: ({ servername, protocols }: { servername: string; protocols: string[] }) =>
          options.protocolFor(servername ?? "", localAddr, protocols) ?? undefined,
      }
      : { ALPNProtocols: [...options.alpnProtocols] }),
    minVersion: options.minVersion,
    maxVersion: options.maxVersion,
  });
  return new TlsConnection(
    secure,
    accepted,
    (outcome) => options.onHandshake(outcome, remoteAddr),
  );
}

/** Each options' context without a certificate, made once. */
const withoutCertificate = new WeakMap<TlsAcceptOptions, tls.SecureContext>();

/**
 * The context a handshake starts with when its SNI callback chooses the certificate: none, so
 * that Deno's TLS parses only the chosen one (the first configuration it builds, from this
 * context, only carries the versions and ALPN until the callback answers).
 */
function noCertificate(options: TlsAcceptOptions): tls.SecureContext {
  let context = withoutCertificate.get(options);
  if (context === undefined) {
    context = tls.createSecureContext({
      minVersion: options.minVersion,
      maxVersion: options.maxVersion,
    });
    withoutCertificate.set(options, context);
  }
  return context;
}

/** A server-side `tls.TLSSocket` as the `Deno.Conn` the engine serves. */
export class TlsConnection implements Deno.Conn {
  /** The address the client connected to. */
  readonly localAddr: Deno.NetAddr;
  /** The client's address. */
  readonly remoteAddr: Deno.NetAddr;
  /** No Deno resource: the socket is Node's. */
  readonly rid: number = -1;
  readonly #socket: tls.TLSSocket;
  readonly #chunks: Uint8Array[] = [];
  #queuedBytes = 0;
  #ended = false;
  #secure = false;
  #error: Error | null = null;
  #wake: (() => void) | null = null;
  /** Told how the handshake ended, then cleared: each connection's is counted once. */
  #onHandshake: ((outcome: HandshakeOutcome) => void) | null;
  readonly #negotiated = Promise.withResolvers<string | null>();

  /** Wraps `socket`; `onHandshake` is told once how its handshake ended. */
  constructor(
    socket: tls.TLSSocket,
    addresses: { readonly localAddr: Deno.NetAddr; readonly remoteAddr: Deno.NetAddr },
    onHandshake: (outcome: HandshakeOutcome) => void,
  ) {
    this.#socket = socket;
    this.localAddr = addresses.localAddr;
    this.remoteAddr = addresses.remoteAddr;
    this.#onHandshake = onHandshake;
    const wake = () => {
      const w = this.#wake;
      this.#wake = null;
      w?.();
    };
    socket.on("secure", () => {
      this.#secure = true;
      this.#negotiated.resolve(socket.alpnProtocol || "");
      this.#settle({ kind: "completed" });
    });
    socket.on("data", (chunk: Buffer) => {
      this.#chunks.push(chunk);
      this.#queuedBytes += chunk.length;
      if (this.#queuedBytes > HIGH_WATER_BYTES) socket.pause();
      wake();
    });
    const gone = () => {
      this.#ended = true;
      this.#negotiated.resolve(null);
      this.#settle({
        kind: "failed",
        reason: "other",
        detail: "the client closed the connection during the handshake",
      });
      wake();
    };
    socket.on("end", gone);
    socket.on("close", gone);
    socket.on("error", (error: Error) => {
      this.#settle({ kind: "failed", reason: handshakeFailureOf(error), detail: error.message });
      this.#error ??= error;
      this.#negotiated.resolve(null);
      wake();
    });
  }

  /** Reports the handshake's outcome, the first time only. */
  #settle(outcome: HandshakeOutcome): void {
    const report = this.#onHandshake;
    this.#onHandshake = null;
    report?.(outcome);
  }

  /**
   * The engine gives up on a connection whose handshake is still running: only its read
   * timeout (or a shutdown) does that before a request, so it counts as a timeout.
   */
  #giveUp(): void {
    this.#settle({
      kind: "failed",
      reason: "timeout",
      detail: "no handshake before the request read timeout",
    });
  }

  /**
   * The application protocol ALPN chose once the handshake is done (`""`: the client offered
   * none), or `null` when the connection failed or closed first.
   */
  get negotiated(): Promise<string | null> {
    return this.#negotiated.promise;
  }

  /** What the handshake negotiated, or `null` before it ends. */
  get tls(): TlsRecord | null {
    if (!this.#secure) return null;
    const s = this.#socket as tls.TLSSocket & { servername?: string | false };
    return {
      protocol: s.getProtocol() ?? "",
      cipher: s.getCipher()?.name ?? "",
      serverName: s.servername || null,
    };
  }

  /** Decrypted bytes into `p`: what arrived first; `null` at the end. */
  async read(p: Uint8Array): Promise<number | null> {
    while (this.#chunks.length === 0) {
      if (this.#error !== null) throw this.#error;
      if (this.#ended) return null;
      await new Promise<void>((resolve) => this.#wake = resolve);
    }
    const head = this.#chunks[0]!;
    const n = Math.min(p.length, head.length);
    p.set(head.subarray(0, n));
    if (n === head.length) this.#chunks.shift();
    else this.#chunks[0] = head.subarray(n);
    this.#queuedBytes -= n;
    if (this.#queuedBytes <= HIGH_WATER_BYTES && this.#socket.isPaused()) this.#socket.resume();
    return n;
  }

  /** Sends `p` (encrypted); resolves once Node has taken it. */
  write(p: Uint8Array): Promise<number> {
    this.#giveUp();
    if (this.#error !== null) return Promise.reject(this.#error);
    if (this.#socket.destroyed) return Promise.reject(new Deno.errors.BrokenPipe("closed"));
    // A view, not a copy: the engine reuses its buffer only once this write resolves, and
    // the callback runs after TLS has taken the bytes into its records.
    const view = Buffer.from(p.buffer, p.byteOffset, p.byteLength);
    return new Promise((resolve, reject) => {
      this.#socket.write(view, (error?: Error | null) => error ? reject(error) : resolve(p.length));
    });
  }

  /** Sends TLS close_notify and ends the sending side. */
  closeWrite(): Promise<void> {
    this.#giveUp();
    if (this.#socket.destroyed || this.#socket.writableEnded) return Promise.resolve();
    return new Promise((resolve) => {
      this.#socket.once("close", () => resolve());
      this.#socket.end(() => resolve());
    });
  }

  /** Closes the connection at once. */
  close(): void {
    this.#giveUp();
    this.#socket.destroy();
  }

  /** Sets `TCP_NODELAY` (the https listener already set it). */
  setNoDelay(noDelay = true): void {
    this.#socket.setNoDelay(noDelay);
  }

  /** Sets `SO_KEEPALIVE`. */
  setKeepAlive(keepAlive = true): void {
    this.#socket.setKeepAlive(keepAlive);
  }

  /** Does nothing: Node's socket keeps the isolate alive while open. */
  ref(): void {}

  /** Does nothing, as {@link ref}. */
  unref(): void {}

  /** Not available: the engine reads with {@link read}. */
  get readable(): ReadableStream<Uint8Array<ArrayBuffer>> {
    throw new Error("Cannot stream a TLS connection: read() serves it");
  }

  /** Not available: the engine writes with {@link write}. */
  get writable(): WritableStream<Uint8Array<ArrayBufferLike>> {
    throw new Error("Cannot stream a TLS connection: write() serves it");
  }

  /** Closes the connection. */
  [Symbol.dispose](): void {
    this.close();
  }
}
