/**
 * A listening socket that the parent makes once per `Listen` address and every slot of every
 * generation accepts from, as httpd's children share their parent's listeners. Deno has no API
 * for a listener that other processes inherit, so it is made through the C library: without
 * `SO_REUSEPORT` (a second server on the port fails with "address in use", as every server
 * does), non-blocking (slots wait for it with epoll, never in `accept`), and close-on-exec
 * except while a child is being started ({@link spawnChild}'s `inheritFds`).
 *
 * @module
 */

import {
  AF_INET,
  AF_INET6,
  check,
  F_GETFD,
  F_SETFD,
  FD_CLOEXEC,
  IPPROTO_TCP,
  libc,
  SO_REUSEADDR,
  SOCK_CLOEXEC,
  SOCK_NONBLOCK,
  SOCK_STREAM,
  SOL_SOCKET,
  TCP_NODELAY,
} from "./_libc.ts";
import { encodeSockaddr, socketAddress } from "./_sockaddr.ts";

/** httpd's ListenBacklog default. */
export const DEFAULT_LISTEN_BACKLOG = 511;

/** A listening socket of this process. */
export interface ListenSocket {
  /** Its file descriptor: the same number in every child that inherited it. */
  readonly fd: number;
  /** The bound address. */
  readonly hostname: string;
  /** The bound port (the one the OS chose when 0 was asked for). */
  readonly port: number;
}

/**
 * Binds `address` and listens on it.
 *
 * @param address a numeric IPv4 or IPv6 address and a port (0: any free port).
 * @param backlog the length of the queue of connections not yet accepted.
 * @returns the socket, close-on-exec.
 * @throws {Deno.errors.AddrInUse} when the port is taken; `PermissionDenied` for a privileged
 *   port; `AddrNotAvailable` for an address this host does not have; `Error` for anything else
 *   the OS refuses, or where there is no C library to call.
 */
export function openListenSocket(
  address: { readonly hostname: string; readonly port: number },
  backlog: number = DEFAULT_LISTEN_BACKLOG,
): ListenSocket {
  const sockaddr = encodeSockaddr(address);
  const c = libc();
  const family = address.hostname.includes(":") ? AF_INET6 : AF_INET;
  const fd = check("socket", c.socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  try {
    // Lets a restarted server bind while connections of the last one are in TIME_WAIT; on
    // Linux it never lets two listeners share a port.
    check("setsockopt", c.setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, new Int32Array([1]), 4));
    check("bind", c.bind(fd, sockaddr, sockaddr.length));
    check("listen", c.listen(fd, backlog));
    const bound = socketAddress(fd, "local");
    return { fd, hostname: bound.hostname, port: bound.port };
  } catch (error) {
    c.close(fd);
    throw error;
  }
}

/**
 * Sets `TCP_NODELAY` on a listening socket; Linux copies it to every connection accepted from
 * it. TLS needs it: a handshake flight or a small record would otherwise wait up to 40 ms for
 * the client's delayed ACK (Nagle's algorithm), on every keep-alive response.
 *
 * @throws {Error} when `fd` is not a TCP socket.
 */
export function setNoDelay(fd: number): void {
  check("setsockopt", libc().setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, new Int32Array([1]), 4));
}

/** Closes a listening socket in this process (children that inherited it keep theirs). */
export function closeListenSocket(fd: number): void {
  libc().close(fd);
}

/**
 * Lets `fd` pass to the programs this process starts, or stops it (close-on-exec): a child's
 * own subprocesses (an app's) must not hold the server's port open.
 *
 * @throws {Error} when `fd` is not open.
 */
export function setInheritable(fd: number, inheritable: boolean): void {
  const c = libc();
  const flags = check("fcntl", c.fcntl(fd, F_GETFD, 0));
  const wanted = inheritable ? flags & ~FD_CLOEXEC : flags | FD_CLOEXEC;
  if (wanted !== flags) check("fcntl", c.fcntl(fd, F_SETFD, wanted));
}
