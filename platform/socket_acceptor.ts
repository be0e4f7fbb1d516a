/**
 * Accepting from listening sockets that many slots share ({@link openListenSocket}), the way
 * httpd's idle children do: a slot calls {@link SocketAcceptor.next} only when it can serve, so
 * a connection goes to a slot that is free, never waits behind a busy one.
 *
 * How, on Deno: `accept4` on the isolate's thread; when nothing is queued, `epoll_wait` on
 * Deno's blocking pool (the isolate keeps running), every listener registered with
 * `EPOLLEXCLUSIVE` so that one connection wakes one waiting slot, not all of them, plus the
 * slot's own eventfd, so that the slot can be woken to retire. The accepted descriptor becomes a
 * `Deno.TcpConn` through Deno's Node compatibility layer (`tcp_wrap`'s `open` and
 * `takeStream`), and from there on Deno's ordinary socket operations serve it. Those are Deno
 * internals: {@link probeSharedAccept} tries the whole path once, and the caller falls back to
 * per-slot `SO_REUSEPORT` listeners when it fails. A connection from a listener named in
 * {@link SocketAcceptorOptions.raw} is not adopted: its descriptor goes to the caller's `start`
 * (Node's `net.Socket` for TLS), since one descriptor must never have two owners.
 *
 * @module
 */

import process from "node:process";
import {
  check,
  EAGAIN,
  ECONNABORTED,
  EFD_CLOEXEC,
  EFD_NONBLOCK,
  EINTR,
  EPOLL_CTL_ADD,
  EPOLL_DATA_OFFSET,
  EPOLL_EVENT_BYTES,
  EPOLLEXCLUSIVE,
  EPOLLIN,
  lastErrno,
  libc,
  osError,
  SOCK_CLOEXEC,
  SOCK_NONBLOCK,
} from "./_libc.ts";
import { socketAddress } from "./_sockaddr.ts";
import { closeListenSocket, openListenSocket } from "./listen_socket.ts";
import { delay, describeError, TIMED_OUT, withDeadline } from "../base/mod.ts";

/** What {@link SocketAcceptor.next} returns when {@link SocketAcceptor.wake} interrupted it. */
export const WOKEN = Symbol("woken");

/**
 * A waiting slot looks at its listeners at least this often even when no wake-up reaches it:
 * a wake-up taken by a slot whose isolate then does not run (a handler in a busy loop) would
 * otherwise leave its connection queued until the next one arrives.
 */
const WAIT_LIMIT_MS = 500;
/** Pause after an accept failure such as EMFILE, so that a slot does not spin. */
const ACCEPT_RETRY_MS = 100;
/** How long {@link probeSharedAccept} waits for its own connection. */
const PROBE_DEADLINE_MS = 5_000;

/** Options of {@link SocketAcceptor.open}. */
export interface SocketAcceptorOptions<C extends Deno.Conn> {
  /** Called with what `accept4` failed with (EMFILE, ENFILE, …) before a short pause. */
  readonly onError: (error: Error) => void;
  /**
   * Listening sockets whose connections are not adopted: `start` takes each descriptor over
   * and makes the connection returned.
   * @default {none}
   */
  readonly raw?: {
    readonly fds: readonly number[];
    readonly start: (socket: AcceptedSocket) => C;
  };
}

/** A connection accepted and not adopted: its descriptor, which the caller now owns. */
export interface AcceptedSocket {
  /** The connected, non-blocking, close-on-exec descriptor. */
  readonly fd: number;
  /** The address the client connected to. */
  readonly localAddr: Deno.NetAddr;
  /** The client's address. */
  readonly remoteAddr: Deno.NetAddr;
}

type ConnClass = new (
  rid: number,
  remoteAddr: Deno.NetAddr,
  localAddr: Deno.NetAddr,
  fd: number,
) => Deno.TcpConn;

interface TcpWrapBinding {
  readonly TCP: new (type: number) => {
    open(fd: number): number;
    takeStream(): number;
    close(): void;
  };
  readonly constants: { readonly SOCKET: number };
}

/** One slot's way of taking connections from shared listening sockets. */
export class SocketAcceptor<C extends Deno.Conn = Deno.TcpConn> {
  readonly #fds: readonly number[];
  readonly #conn: ConnClass;
  readonly #onError: (error: Error) => void;
  readonly #raw: ReadonlySet<number>;
  readonly #start: ((socket: AcceptedSocket) => C) | null;
  readonly #epoll: number;
  readonly #wakeFd: number;
  readonly #events: Uint8Array<ArrayBuffer>;
  /** Keeps the isolate alive while it waits: a call on the blocking pool does not. */
  readonly #keepAlive: ReturnType<typeof setInterval>;
  /** The pending `epoll_wait`. */
  #waiting: Promise<void> | null = null;
  /**
   * The last wait saw a listener with a connection queued, and no accept has followed: that
   * wake-up was this slot's, the other slots were left asleep.
   */
  #readySeen = false;
  #next = 0;
  #closed = false;
  /** {@link wake} was called: the pending or next {@link next} returns {@link WOKEN}. */
  #woken = false;

  private constructor(
    fds: readonly number[],
    conn: ConnClass,
    options: SocketAcceptorOptions<C>,
  ) {
    this.#fds = fds;
    this.#conn = conn;
    this.#onError = options.onError;
    this.#raw = new Set(options.raw?.fds ?? []);
    this.#start = options.raw?.start ?? null;
    const c = libc();
    this.#epoll = check("epoll_create1", c.epoll_create1(SOCK_CLOEXEC));
    this.#wakeFd = check("eventfd", c.eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
    // One exclusive entry per listener (one connection wakes one slot), and the wake-up
    // eventfd, whose token is the number of listeners.
    [...fds, this.#wakeFd].forEach((fd, token) => {
      const event = new Uint8Array(EPOLL_EVENT_BYTES);
      const view = new DataView(event.buffer);
      view.setUint32(0, fd === this.#wakeFd ? EPOLLIN : EPOLLIN | EPOLLEXCLUSIVE, true);
      view.setUint32(EPOLL_DATA_OFFSET, token, true);
      check("epoll_ctl", c.epoll_ctl(this.#epoll, EPOLL_CTL_ADD, fd, event));
    });
    this.#events = new Uint8Array(EPOLL_EVENT_BYTES * (fds.length + 1));
    this.#keepAlive = setInterval(() => {}, 2 ** 30);
  }

  /**
   * An acceptor over the listening sockets `fds` (inherited or this process's own).
   *
   * @throws {Error} where there is no C library, or the descriptors are not sockets.
   */
  static async open<C extends Deno.Conn = Deno.TcpConn>(
    fds: readonly number[],
    options: SocketAcceptorOptions<C>,
  ): Promise<SocketAcceptor<C>> {
    return new SocketAcceptor<C>(fds, await connClass(), options);
  }

  /**
   * The next connection; {@link WOKEN} after {@link wake} (the caller's situation changed:
   * ask again); `null` once {@link close} has been called.
   */
  async next(): Promise<Deno.TcpConn | C | typeof WOKEN | null> {
    for (;;) {
      if (this.#closed) return null;
      if (this.#woken) {
        this.#woken = false;
        return WOKEN;
      }
      let conn: Deno.TcpConn | C | null;
      try {
        this.#readySeen = false;
        conn = this.#acceptOne();
      } catch (error) {
        this.#onError(error as Error);
        await delay(ACCEPT_RETRY_MS);
        continue;
      }
      if (conn !== null) return conn;
      this.#waiting = this.#wait();
      await this.#waiting;
      this.#waiting = null;
    }
  }

  /** Makes the pending {@link next}, or else the next one, return {@link WOKEN}. */
  wake(): void {
    this.#woken = true;
    if (this.#waiting !== null && !this.#closed) this.#signal();
  }

  /**
   * Stops accepting and releases the acceptor's own descriptors (never the listening sockets,
   * which other slots share). A connection whose wake-up this slot took last, without
   * accepting since, would wait for the other slots' next look: it is accepted here and
   * returned, for the caller to serve like any other.
   */
  async close(): Promise<(Deno.TcpConn | C)[]> {
    if (this.#closed) return [];
    this.#closed = true;
    clearInterval(this.#keepAlive);
    const late: (Deno.TcpConn | C)[] = [];
    if (this.#waiting !== null) {
      this.#signal();
      await this.#waiting;
    }
    if (this.#readySeen) {
      try {
        const conn = this.#acceptOne();
        if (conn !== null) late.push(conn);
      } catch (error) {
        this.#onError(error as Error);
      }
    }
    const c = libc();
    c.close(this.#epoll);
    c.close(this.#wakeFd);
    return late;
  }

  /** Takes one queued connection from the listeners, in turn; `null` when none is queued. */
  #acceptOne(): Deno.TcpConn | C | null {
    const c = libc();
    for (let tried = 0; tried < this.#fds.length; tried++) {
      const fd = this.#fds[this.#next]!;
      this.#next = (this.#next + 1) % this.#fds.length;
      for (;;) {
        const accepted = c.accept4(fd, null, null, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (accepted >= 0) {
          const conn = this.#adopt(accepted, fd);
          if (conn !== null) return conn;
          continue;
        }
        const errno = lastErrno();
        // A connection reset before it was accepted, or a signal: try again at once.
        if (errno === ECONNABORTED || errno === EINTR) continue;
        if (errno === EAGAIN) break;
        throw osError("accept4", errno);
      }
    }
    return null;
  }

  /**
   * The connection accepted from `listener` as a `Deno.TcpConn`, or whatever the raw
   * listeners' `start` makes of it; `null` (and closed) if the peer is already gone.
   */
  #adopt(fd: number, listener: number): Deno.TcpConn | C | null {
    let remote, local;
    try {
      remote = socketAddress(fd, "remote");
      local = socketAddress(fd, "local");
    } catch {
      libc().close(fd);
      return null;
    }
    const localAddr: Deno.NetAddr = { transport: "tcp", ...local };
    const remoteAddr: Deno.NetAddr = { transport: "tcp", ...remote };
    if (this.#start !== null && this.#raw.has(listener)) {
      return this.#start({ fd, localAddr, remoteAddr });
    }
    return new this.#conn(adoptStream(fd), remoteAddr, localAddr, fd);
  }

  /** Waits for a listener or the eventfd, at most {@link WAIT_LIMIT_MS}. */
  async #wait(): Promise<void> {
    const c = libc();
    const count = await c.epoll_wait(
      this.#epoll,
      this.#events,
      this.#fds.length + 1,
      WAIT_LIMIT_MS,
    );
    const view = new DataView(this.#events.buffer);
    let ready = false;
    let woken = false;
    for (let i = 0; i < count; i++) {
      const token = view.getUint32(i * EPOLL_EVENT_BYTES + EPOLL_DATA_OFFSET, true);
      if (token < this.#fds.length) ready = true;
      else woken = true;
    }
    if (woken) c.read(this.#wakeFd, new Uint8Array(8), 8n);
    this.#readySeen = ready;
  }

  #signal(): void {
    const one = new Uint8Array(8);
    new DataView(one.buffer).setBigUint64(0, 1n, true);
    libc().write(this.#wakeFd, one, 8n);
  }
}

/**
 * Tries the whole path once — a listening socket made through the C library, a connection
 * accepted from it and turned into a `Deno.TcpConn`, bytes through it — on a loopback port of
 * its own.
 *
 * @returns `null` when it works, else why not (for a notice that says which way is used).
 */
export async function probeSharedAccept(): Promise<string | null> {
  let socket;
  try {
    socket = openListenSocket({ hostname: "127.0.0.1", port: 0 });
  } catch (error) {
    return `Cannot open a listening socket through the C library: ${describeError(error)}`;
  }
  let acceptor: SocketAcceptor | null = null;
  let client: Deno.TcpConn | null = null;
  let served: Deno.TcpConn | null = null;
  try {
    acceptor = await SocketAcceptor.open([socket.fd], { onError: () => {} });
    client = await Deno.connect({ hostname: "127.0.0.1", port: socket.port });
    const next = await withDeadline(acceptor.next(), PROBE_DEADLINE_MS);
    if (next === TIMED_OUT || next === null || next === WOKEN) {
      return "Cannot accept from a shared socket: no connection";
    }
    served = next;
    if (served.remoteAddr.port !== client.localAddr.port) {
      return `Cannot tell a shared socket's peer: port ${served.remoteAddr.port}, expected ${client.localAddr.port}`;
    }
    await served.write(new Uint8Array([42]));
    const byte = new Uint8Array(1);
    if (await client.read(byte) !== 1 || byte[0] !== 42) {
      return "Cannot send through an accepted shared-socket connection";
    }
    return null;
  } catch (error) {
    return `Cannot accept from a shared socket: ${describeError(error)}`;
  } finally {
    served?.close();
    client?.close();
    await acceptor?.close();
    closeListenSocket(socket.fd);
  }
}

/** Makes `fd`, a connected socket, a resource of this isolate's: Deno's own stream for it. */
function adoptStream(fd: number): number {
  const tcp = tcpWrap();
  const handle = new tcp.TCP(tcp.constants.SOCKET);
  const status = handle.open(fd);
  if (status !== 0) {
    libc().close(fd);
    throw new Error(`Cannot adopt socket ${fd}: libuv error ${status}`);
  }
  try {
    return handle.takeStream();
  } finally {
    // Always: an open handle keeps the fd in Deno's table, which then refuses that number when
    // the OS hands it out again.
    handle.close();
  }
}

let binding: TcpWrapBinding | null = null;

function tcpWrap(): TcpWrapBinding {
  binding ??= (process as unknown as { binding(name: string): TcpWrapBinding }).binding(
    "tcp_wrap",
  );
  return binding;
}

let connClassOnce: Promise<ConnClass> | null = null;

/**
 * Deno's `TcpConn` class, which no module exports: the constructor of a connection accepted
 * once, on loopback, in this isolate.
 */
function connClass(): Promise<ConnClass> {
  connClassOnce ??= (async () => {
    const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    try {
      const client = await Deno.connect({ hostname: "127.0.0.1", port: listener.addr.port });
      const accepted = await listener.accept();
      client.close();
      accepted.close();
      return accepted.constructor as ConnClass;
    } finally {
      listener.close();
    }
  })();
  return connClassOnce;
}
