/**
 * Where a slot takes its connections from, one at a time and at its own pace: the listening
 * sockets the parent shares with every slot (httpd's way: a connection goes to a slot that is
 * free), or, where that cannot work, listeners of the slot's own in the port's `SO_REUSEPORT`
 * group (the kernel then picks the slot, busy or not). Either way a connection the kernel
 * handed over is never dropped. A connection to an https address starts TLS here and reaches
 * the engine as a TLS connection.
 *
 * @module
 */

import { type ListenSocket, SocketAcceptor, WOKEN } from "../platform/mod.ts";
import type { ServerConfig } from "../server/config/mod.ts";
import type { Logger } from "../server/log/mod.ts";
import { acceptTls, isClosedListenerError, openListeners } from "../server/http/mod.ts";
import { type HandshakeReport, httpsRefusal, tlsAcceptOptions } from "./tls_hosts.ts";
import { delay } from "../base/mod.ts";

export { WOKEN };

/** Pause after an accept failure such as EMFILE, so the loop does not spin. */
const ACCEPT_RETRY_MS = 100;

/** How a generation's slots listen. */
export type ListenSource =
  /** The parent's listening sockets, one per `Listen` address, inherited by every child. */
  | { readonly kind: "shared"; readonly sockets: readonly ListenSocket[] }
  /** Each slot binds every `Listen` address itself, joining the port's reuseport group. */
  | { readonly kind: "reuseport" };

/** A slot's source of connections. */
export interface ConnectionSource {
  /**
   * The next connection; {@link WOKEN} after {@link wake} (the caller's situation changed:
   * ask again); `null` once closed.
   */
  next(): Promise<Deno.Conn | typeof WOKEN | null>;
  /** Makes the pending {@link next}, or else the next one, return {@link WOKEN}. */
  wake(): void;
  /**
   * Stops taking connections and returns those the kernel handed over meanwhile: the caller
   * serves them like any other.
   */
  close(): Promise<Deno.Conn[]>;
}

/**
 * Opens the slot's source of connections.
 *
 * @throws {ConfigErrors} when a reuseport listener cannot be bound; an `Error` when the shared
 *   sockets cannot be waited on.
 */
export async function openConnectionSource(
  listen: ListenSource,
  config: ServerConfig,
  report: HandshakeReport,
): Promise<ConnectionSource> {
  const { logger } = report;
  const tls = tlsAcceptOptions(config, report);
  if (listen.kind === "shared") {
    const https = listen.sockets.filter((_, i) => config.listen[i]?.protocol === "https");
    return await SocketAcceptor.open<Deno.Conn>(listen.sockets.map((socket) => socket.fd), {
      onError: (error) => logger.error("Cannot accept connection", error),
      ...(tls !== null && {
        raw: { fds: https.map((s) => s.fd), start: (socket) => acceptTls(socket, tls) },
      }),
    });
  }
  const refusal = httpsRefusal(
    config,
    "without shared listening sockets (per-slot reuseport listeners are in use): TLS starts " +
      "on the descriptors the parent's sockets hand over",
  );
  if (refusal !== null) throw refusal;
  return new ListenerAcceptor(openListeners(config.listen, { reusePort: true }), logger);
}

type Accepted =
  | { readonly listener: Deno.Listener; readonly conn: Deno.Conn }
  | { readonly listener: Deno.Listener; readonly error: unknown };

/** A slot's own listeners as one source of connections: at most one accept per listener. */
export class ListenerAcceptor implements ConnectionSource {
  readonly #listeners: Set<Deno.Listener>;
  readonly #pending = new Map<Deno.Listener, Promise<Accepted>>();
  readonly #logger: Logger;
  #closed = false;
  #woken = false;
  #wake: (() => void) | null = null;

  /** Takes over `listeners`; {@link close} closes them. */
  constructor(listeners: readonly Deno.Listener[], logger: Logger) {
    this.#listeners = new Set(listeners);
    this.#logger = logger;
  }

  async next(): Promise<Deno.Conn | typeof WOKEN | null> {
    for (;;) {
      if (this.#closed || this.#listeners.size === 0) return null;
      if (this.#woken) {
        this.#woken = false;
        return WOKEN;
      }
      for (const listener of this.#listeners) {
        if (!this.#pending.has(listener)) this.#pending.set(listener, accept(listener));
      }
      const woken = new Promise<typeof WOKEN>((resolve) => this.#wake = () => resolve(WOKEN));
      const accepted = await Promise.race([...this.#pending.values(), woken]);
      this.#wake = null;
      if (accepted === WOKEN) continue;
      this.#pending.delete(accepted.listener);
      if ("conn" in accepted) return accepted.conn;
      if (this.#closed || isClosedListenerError(accepted.error)) {
        this.#listeners.delete(accepted.listener);
        continue;
      }
      this.#logger.error("Cannot accept connection", accepted.error);
      await delay(ACCEPT_RETRY_MS);
    }
  }

  wake(): void {
    this.#woken = true;
    this.#wake?.();
  }

  /**
   * Closes every listener (what is still queued on one is reset, unless the kernel moves it to
   * a sibling: `net.ipv4.tcp_migrate_req`) and returns what the pending accepts delivered.
   */
  async close(): Promise<Deno.Conn[]> {
    this.#closed = true;
    for (const listener of this.#listeners) {
      try {
        listener.close();
      } catch {
        // Closed already.
      }
    }
    this.#listeners.clear();
    const settled = await Promise.all(this.#pending.values());
    this.#pending.clear();
    return settled.flatMap((accepted) => "conn" in accepted ? [accepted.conn] : []);
  }
}

function accept(listener: Deno.Listener): Promise<Accepted> {
  return listener.accept().then(
    (conn) => ({ listener, conn }),
    (error) => ({ listener, error }),
  );
}
