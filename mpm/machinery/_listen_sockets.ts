/**
 * The parent's listening sockets, as httpd's: one per `Listen` address, bound once and kept
 * across generations, so that a restart closes nothing and resets no connection; every slot
 * of every generation accepts from them. Where slots cannot share them (the self-test at
 * startup failed, or `MPMD_ACCEPT=reuseport`), each slot binds its own reuseport listeners
 * and the parent only checks that each address is free.
 *
 * @module
 */

import {
  closeListenSocket,
  type ListenSocket,
  openListenSocket,
  probeSharedAccept,
  setNoDelay,
} from "../../platform/mod.ts";
import type { ListenAddress, ServerConfig } from "../../server/config/mod.ts";
import { bindEach } from "../../server/http/mod.ts";
import type { ListenSource } from "../../slot/mod.ts";

/** The environment variable that forces per-slot reuseport listeners (`reuseport`). */
export const ACCEPT_ENV = "MPMD_ACCEPT";

/** How the server's slots take connections, and why when not from shared sockets. */
export type AcceptMode =
  | { readonly kind: "shared" }
  | { readonly kind: "reuseport"; readonly reason: string };

/**
 * Decides once, at startup, how slots take connections: from shared sockets when the whole
 * path works here, else from their own reuseport listeners.
 */
export async function chooseAcceptMode(): Promise<AcceptMode> {
  if (Deno.env.get(ACCEPT_ENV) === "reuseport") {
    return { kind: "reuseport", reason: `${ACCEPT_ENV}=reuseport is set` };
  }
  const failure = await probeSharedAccept();
  return failure === null ? { kind: "shared" } : { kind: "reuseport", reason: failure };
}

/**
 * The notice, once at startup, that slots do not share sockets here: why, and what it costs;
 * `null` when they do.
 */
export function fallbackNotice(mode: AcceptMode, tcpMigrateReq: boolean | null): string | null {
  if (mode.kind === "shared") return null;
  const resets = tcpMigrateReq === true
    ? ""
    : ", and is reset if that slot stops (unless net.ipv4.tcp_migrate_req=1)";
  return `Cannot share the listening sockets (${mode.reason}): a socket per slot, where a ` +
    `connection may wait for a busy slot${resets}`;
}

/** One bound address: where it was asked for, and its socket (none under reuseport). */
interface Bound {
  readonly asked: ListenAddress;
  readonly port: number;
  readonly socket: ListenSocket | null;
}

/** What a generation listens with. */
export interface Listening {
  /** The configuration with every port as bound (a port of 0 replaced by the real one). */
  readonly config: ServerConfig;
  /** What its children's slots accept from. */
  readonly listen: ListenSource;
}

/** The parent's listeners across generations. */
export class ListenSockets {
  /** How the slots take connections, decided once at startup. */
  readonly mode: AcceptMode;
  /** What the running generation listens on, in its `Listen` order. */
  #bound: Bound[] = [];
  /** What the generation of the last {@link bind} listens on. */
  #pending: Bound[] = [];
  /** What that {@link bind} added to the running generation's. */
  #added: Bound[] = [];

  /** Nothing bound yet: the first {@link bind} binds every address. */
  constructor(mode: AcceptMode) {
    this.mode = mode;
  }

  /**
   * Binds what `config` lists and the running generation does not; keeps the rest. A port of
   * 0 keeps the running generation's port at the same position.
   *
   * @throws {ConfigErrors} naming each address that cannot be bound; nothing changes then.
   */
  bind(config: ServerConfig): Listening {
    const wanted = config.listen.map((asked, position) =>
      this.#held(asked, position) ?? { asked, port: asked.port, socket: null }
    );
    const fresh = wanted.filter((entry) => !this.#bound.includes(entry));
    const opened = bindEach(
      fresh.map((entry) => entry.asked),
      (address) => this.#open(address),
      (bound) => {
        if (bound.socket !== null) closeListenSocket(bound.socket.fd);
      },
    );
    const next = wanted.map((entry) =>
      fresh.includes(entry) ? opened[fresh.indexOf(entry)]! : entry
    );
    // Also on a kept socket, whose Listen may now say https.
    next.forEach((entry, i) => {
      if (config.listen[i]!.protocol === "https" && entry.socket !== null) {
        setNoDelay(entry.socket.fd);
      }
    });
    this.#added = opened;
    this.#pending = next;
    // The protocol and origin as this config writes them, on a socket kept or new.
    const listen = config.listen.map((asked, i) => ({ ...asked, port: next[i]!.port }));
    return {
      config: { ...config, listen },
      listen: this.mode.kind === "shared"
        ? { kind: "shared", sockets: next.map((entry) => entry.socket!) }
        : { kind: "reuseport" },
    };
  }

  /**
   * The generation of the last {@link bind} serves: the sockets it does not list are closed
   * here (children of older generations keep their copies until they exit).
   */
  commit(): void {
    for (const entry of this.#bound) {
      if (!this.#pending.includes(entry) && entry.socket !== null) {
        closeListenSocket(entry.socket.fd);
      }
    }
    this.#bound = this.#pending;
    this.#added = [];
  }

  /** The generation of the last {@link bind} did not start: what it added is closed. */
  rollBack(): void {
    for (const entry of this.#added) {
      if (entry.socket !== null) closeListenSocket(entry.socket.fd);
    }
    this.#added = [];
    this.#pending = this.#bound;
  }

  /** Closes every socket (the server stops). */
  close(): void {
    for (const entry of new Set([...this.#bound, ...this.#pending])) {
      if (entry.socket !== null) closeListenSocket(entry.socket.fd);
    }
    this.#bound = this.#pending = this.#added = [];
  }

  /** The running generation's entry for `asked`, which a new generation keeps. */
  #held(asked: ListenAddress, position: number): Bound | undefined {
    if (asked.port === 0) {
      const previous = this.#bound[position];
      return previous?.asked.port === 0 && previous.asked.hostname === asked.hostname
        ? previous
        : undefined;
    }
    return this.#bound.find((entry) =>
      entry.asked.hostname === asked.hostname && entry.port === asked.port
    );
  }

  #open(asked: ListenAddress): Bound {
    if (this.mode.kind === "shared") {
      const socket = openListenSocket(asked);
      return { asked, port: socket.port, socket };
    }
    // Without SO_REUSEPORT: any other listener on the port, a second mpmd's reuseport group
    // included, makes this fail, as a bind fails for every other server.
    const probe = Deno.listen({ hostname: asked.hostname, port: asked.port });
    const port = probe.addr.port;
    probe.close();
    return { asked, port, socket: null };
  }
}
