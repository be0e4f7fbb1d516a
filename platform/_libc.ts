/**
 * The C library calls mpmd makes through Deno's FFI (Linux, glibc's `libc.so.6`), loaded once
 * per isolate: `Deno.dlopen` belongs to the isolate that called it, so every Worker loads its
 * own. The constants are Linux's, the same on every architecture Deno ships for, except the
 * layout of `struct epoll_event` ({@link EPOLL_EVENT_BYTES}).
 *
 * @module
 */

export const AF_INET = 2;
export const AF_INET6 = 10;
export const SOCK_STREAM = 1;
export const SOCK_NONBLOCK = 0o4000;
export const SOCK_CLOEXEC = 0o2000000;
export const SOL_SOCKET = 1;
export const SO_REUSEADDR = 2;
export const IPPROTO_TCP = 6;
export const TCP_NODELAY = 1;
export const F_GETFD = 1;
export const F_SETFD = 2;
export const FD_CLOEXEC = 1;
export const EPOLL_CTL_ADD = 1;
export const EPOLLIN = 0x001;
export const EPOLLEXCLUSIVE = 1 << 28;
export const EFD_CLOEXEC = 0o2000000;
export const EFD_NONBLOCK = 0o4000;

export const EINTR = 4;
export const EAGAIN = 11;
export const EACCES = 13;
export const EADDRINUSE = 98;
export const EADDRNOTAVAIL = 99;
export const ECONNABORTED = 103;

/** `struct epoll_event` is packed on x86-64 only: 12 bytes there, 16 elsewhere. */
export const EPOLL_EVENT_BYTES = Deno.build.arch === "x86_64" ? 12 : 16;
/** Where `data` starts in a `struct epoll_event`. */
export const EPOLL_DATA_OFFSET = Deno.build.arch === "x86_64" ? 4 : 8;

const SYMBOLS = {
  socket: { parameters: ["i32", "i32", "i32"], result: "i32" },
  setsockopt: { parameters: ["i32", "i32", "i32", "buffer", "u32"], result: "i32" },
  bind: { parameters: ["i32", "buffer", "u32"], result: "i32" },
  listen: { parameters: ["i32", "i32"], result: "i32" },
  getsockname: { parameters: ["i32", "buffer", "buffer"], result: "i32" },
  getpeername: { parameters: ["i32", "buffer", "buffer"], result: "i32" },
  accept4: { parameters: ["i32", "pointer", "pointer", "i32"], result: "i32" },
  fcntl: { parameters: ["i32", "i32", "i32"], result: "i32" },
  close: { parameters: ["i32"], result: "i32" },
  eventfd: { parameters: ["u32", "i32"], result: "i32" },
  read: { parameters: ["i32", "buffer", "usize"], result: "isize" },
  write: { parameters: ["i32", "buffer", "usize"], result: "isize" },
  epoll_create1: { parameters: ["i32"], result: "i32" },
  epoll_ctl: { parameters: ["i32", "i32", "i32", "buffer"], result: "i32" },
  // On Deno's blocking pool, so that the isolate keeps running while a slot waits.
  epoll_wait: { parameters: ["i32", "buffer", "i32", "i32"], result: "i32", nonblocking: true },
  inet_pton: { parameters: ["i32", "buffer", "buffer"], result: "i32" },
  inet_ntop: { parameters: ["i32", "buffer", "buffer", "u32"], result: "pointer" },
  __errno_location: { parameters: [], result: "pointer" },
  strerror: { parameters: ["i32"], result: "pointer" },
  execve: { parameters: ["buffer", "buffer", "buffer"], result: "i32" },
  open: { parameters: ["buffer", "i32", "u32"], result: "i32" },
  setgroups: { parameters: ["usize", "buffer"], result: "i32" },
  setgid: { parameters: ["u32"], result: "i32" },
  setuid: { parameters: ["u32"], result: "i32" },
} as const;

/** The loaded C library's functions. */
export type LibcSymbols = Deno.DynamicLibrary<typeof SYMBOLS>["symbols"];

let loaded: LibcSymbols | null = null;

/**
 * This isolate's C library, loaded on first use.
 *
 * @throws {Error} where there is none to load: not Linux, no glibc (musl), or no FFI permission.
 */
export function libc(): LibcSymbols {
  if (loaded !== null) return loaded;
  if (Deno.build.os !== "linux") {
    throw new Error(`Cannot load the C library: ${Deno.build.os} is not Linux`);
  }
  loaded = Deno.dlopen("libc.so.6", SYMBOLS).symbols;
  return loaded;
}

/** This thread's `errno`, read right after the call that failed. */
export function lastErrno(): number {
  const pointer = libc().__errno_location();
  return pointer === null ? 0 : new Deno.UnsafePointerView(pointer).getInt32();
}

/**
 * The error for a failed call, as Deno's own calls would throw it where Deno has a class for
 * it (`AddrInUse`, `PermissionDenied`, `AddrNotAvailable`), worded "<call>: <OS text>".
 */
export function osError(call: string, errno: number): Error {
  const text = libc().strerror(errno);
  const reason = text === null ? `errno ${errno}` : Deno.UnsafePointerView.getCString(text);
  const message = `${call}: ${reason} (os error ${errno})`;
  switch (errno) {
    case EADDRINUSE:
      return new Deno.errors.AddrInUse(message);
    case EACCES:
      return new Deno.errors.PermissionDenied(message);
    case EADDRNOTAVAIL:
      return new Deno.errors.AddrNotAvailable(message);
    default:
      return Object.assign(new Error(message), { errno });
  }
}

/** Throws {@link osError} for `call` when `result` is negative; returns `result` otherwise. */
export function check(call: string, result: number): number {
  if (result < 0) throw osError(call, lastErrno());
  return result;
}
