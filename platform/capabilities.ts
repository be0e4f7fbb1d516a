/**
 * What this operating system offers mpmd, probed once at startup. The probe is the only
 * I/O here; the decisions built on it ({@link chooseDefaultMpm}) are pure.
 *
 * @module
 */

/** The capability set the default-MPM decision and the MPM machinery depend on. */
export interface PlatformCapabilities {
  /** `Deno.build.os`: `linux`, `darwin`, `windows`, `freebsd`, … */
  readonly os: string;
  /** Whether threads are available (Deno Workers). */
  readonly threads: boolean;
  /** Whether the OS has a thread-safe poller (epoll, kqueue, event ports) for an event loop. */
  readonly threadSafePolling: boolean;
  /** The kernel's poller (`epoll`, `kqueue`, `event ports`), or `null` if none is known. */
  readonly poller: string | null;
  /** Whether `reusePort` listeners spread connections across sockets (Linux, FreeBSD ≥ 12). */
  readonly reusePortBalancing: boolean;
  /**
   * Linux `net.ipv4.tcp_migrate_req`: whether closing a reuseport listener moves its queued
   * connections to a sibling instead of resetting them; `null` where the knob does not exist.
   */
  readonly tcpMigrateReq: boolean | null;
}

/** Each OS's thread-safe kernel poller, as the Rust runtime under Deno (mio) uses it. */
const POLLER_BY_OS: Readonly<Record<string, string>> = {
  linux: "epoll",
  android: "epoll",
  darwin: "kqueue",
  freebsd: "kqueue",
  netbsd: "kqueue",
  openbsd: "kqueue",
  solaris: "event ports",
  illumos: "event ports",
};

/** Operating systems whose SO_REUSEPORT load-balances across sockets. */
const REUSEPORT_BALANCING_OS: ReadonlySet<string> = new Set(["linux", "android", "freebsd"]);

/** Where Linux exposes `tcp_migrate_req`. */
const TCP_MIGRATE_REQ_PATH = "/proc/sys/net/ipv4/tcp_migrate_req";

/**
 * Probes the running system.
 *
 * @returns the capabilities of this process's OS, as Deno exposes them.
 */
export function detectCapabilities(): PlatformCapabilities {
  const os = Deno.build.os;
  const poller = POLLER_BY_OS[os] ?? null;
  return {
    os,
    threads: typeof Worker === "function",
    threadSafePolling: poller !== null,
    poller,
    reusePortBalancing: REUSEPORT_BALANCING_OS.has(os),
    tcpMigrateReq: readTcpMigrateReq(),
  };
}

function readTcpMigrateReq(): boolean | null {
  try {
    return Deno.readTextFileSync(TCP_MIGRATE_REQ_PATH).trim() === "1";
  } catch (error) {
    // Deno lets only --allow-all read /proc (NotCapable); mpmd's tasks grant it, but a
    // narrower grant still gets a working server, just without this one fact.
    if (
      error instanceof Deno.errors.NotFound || error instanceof Deno.errors.PermissionDenied ||
      error instanceof Deno.errors.NotCapable
    ) {
      return null;
    }
    throw error;
  }
}
