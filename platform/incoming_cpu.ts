/**
 * Steering new connections between the generations of a graceful restart with Linux's
 * `SO_INCOMING_CPU`.
 *
 * Closing an `SO_REUSEPORT` listener resets the connections queued on it unless
 * `net.ipv4.tcp_migrate_req=1`. Since Linux 6.1, when any socket of a reuseport group has
 * `SO_INCOMING_CPU` set, the kernel hands a SYN to a socket pinned to the CPU handling that
 * SYN, if there is one (`reuseport_select_sock_by_hash` in `net/core/sock_reuseport.c`). So a
 * new generation pins its listeners to cover every CPU, the old generation stops receiving
 * SYNs, drains its queue and closes; then the new generation unpins (`-1`) and plain hash
 * balancing resumes.
 *
 * The pure parts (parsing `/proc`, the CPU arithmetic) are separate from the I/O (reading
 * `/proc`, `setsockopt` through FFI). The I/O needs `--allow-all`: Deno treats `/proc/self/fd`
 * as privileged, and FFI grants everything anyway.
 *
 * @module
 */

/** `SOL_SOCKET` on Linux (every architecture Deno ships for). */
const SOL_SOCKET = 1;
/** `SO_INCOMING_CPU` on Linux, from `include/uapi/asm-generic/socket.h`. */
const SO_INCOMING_CPU = 49;
/** The value that unpins a socket: the kernel's "no CPU recorded". */
const NO_CPU = -1;
/** TCP state `TCP_LISTEN` as `/proc/net/tcp` prints it (`st` column). */
const TCP_LISTEN_STATE = "0A";
/** Fields of a `/proc/net/tcp` row: `sl local rem st tx:rx tr:when retrnsmt uid timeout inode`. */
const LOCAL_ADDRESS_FIELD = 1;
const STATE_FIELD = 3;
const INODE_FIELD = 9;
/** The first kernel whose reuseport selection honours `SO_INCOMING_CPU` (commit b261eda84ec1). */
const FIRST_STEERING_KERNEL = [6, 1] as const;
const PROC_NET_TCP_FILES = ["/proc/net/tcp", "/proc/net/tcp6"] as const;
const ONLINE_CPUS_PATH = "/sys/devices/system/cpu/online";

/** `setsockopt`/`getsockopt` of `SO_INCOMING_CPU` failed; names the fd and the OS reason. */
export class IncomingCpuError extends Error {
  /** The file descriptor the call was made on. */
  readonly fd: number;
  /** The C `errno` after the failed call, or `null` when it could not be read. */
  readonly errno: number | null;

  /**
   * Creates the error, worded "Cannot set SO_INCOMING_CPU on fd 9: Bad file descriptor".
   *
   * @param verb which call failed: `set` or `get`.
   * @param fd the socket's file descriptor.
   * @param errno the `errno` value, or `null` if unknown.
   * @param reason the OS's text for `errno`, or the call's return code.
   */
  constructor(verb: "set" | "get", fd: number, errno: number | null, reason: string) {
    super(`Cannot ${verb} SO_INCOMING_CPU on fd ${fd}: ${reason}`);
    this.name = "IncomingCpuError";
    this.fd = fd;
    this.errno = errno;
  }
}

/** Reads and writes `SO_INCOMING_CPU` on this process's sockets; close it when done. */
export interface IncomingCpuControl extends Disposable {
  /**
   * Pins a socket to a CPU, or unpins it with `-1`.
   *
   * @param fd a socket of this process (see {@link listeningSocketFds}).
   * @param cpu the CPU id whose SYNs this socket should receive, or `-1`.
   * @throws {IncomingCpuError} when `setsockopt` fails (bad fd, not a socket).
   */
  set(fd: number, cpu: number): void;
  /**
   * Reads a socket's `SO_INCOMING_CPU`.
   *
   * @param fd a socket of this process.
   * @returns the pinned CPU id, or `-1` when unpinned.
   * @throws {IncomingCpuError} when `getsockopt` fails.
   */
  get(fd: number): number;
  /** Unloads libc; the control must not be used afterwards. */
  close(): void;
}

/**
 * Finds the listening TCP sockets on a local port in the text of `/proc/net/tcp` or
 * `/proc/net/tcp6` (whose address formats differ only in the address's length).
 *
 * @param procNetTcpText the whole file, header line included.
 * @param port the local port.
 * @returns the socket inodes, as `/proc/self/fd` links spell them (`socket:[<inode>]`).
 */
export function parseListeningInodes(procNetTcpText: string, port: number): Set<string> {
  const portSuffix = ":" + port.toString(16).toUpperCase().padStart(4, "0");
  const inodes = new Set<string>();
  for (const line of procNetTcpText.split("\n").slice(1)) {
    const fields = line.trim().split(/\s+/);
    const local = fields[LOCAL_ADDRESS_FIELD];
    const inode = fields[INODE_FIELD];
    if (
      local?.endsWith(portSuffix) && fields[STATE_FIELD] === TCP_LISTEN_STATE &&
      inode !== undefined
    ) {
      inodes.add(inode);
    }
  }
  return inodes;
}

/**
 * Parses a kernel CPU list such as `/sys/devices/system/cpu/online` (`0-3,6,8-9`).
 *
 * @param text the list, surrounding whitespace allowed.
 * @returns the CPU ids in ascending order.
 * @throws {SyntaxError} when a part is neither `N` nor `N-M` with `N <= M`.
 */
export function parseCpuList(text: string): number[] {
  const cpus = new Set<number>();
  const trimmed = text.trim();
  if (trimmed === "") return [];
  for (const part of trimmed.split(",")) {
    const match = /^(\d+)(?:-(\d+))?$/.exec(part);
    const first = Number(match?.[1]);
    const last = match?.[2] === undefined ? first : Number(match[2]);
    if (match === null || last < first) {
      throw new SyntaxError(`Cannot parse CPU list "${trimmed}": bad range "${part}"`);
    }
    for (let cpu = first; cpu <= last; cpu++) cpus.add(cpu);
  }
  return [...cpus].sort((a, b) => a - b);
}

/**
 * Whether a kernel's reuseport selection prefers sockets pinned with `SO_INCOMING_CPU`
 * (Linux 6.1 and later). Older kernels accept the option but ignore it for reuseport groups.
 *
 * @param os `Deno.build.os`.
 * @param osRelease `Deno.osRelease()`, e.g. `6.18.44-generic`.
 * @returns `true` when steering works, so a restart can rely on it.
 */
export function incomingCpuSteers(os: string, osRelease: string): boolean {
  if (os !== "linux") return false;
  const match = /^(\d+)\.(\d+)/.exec(osRelease);
  if (match === null) return false;
  const [major, minor] = [Number(match[1]), Number(match[2])];
  const [firstMajor, firstMinor] = FIRST_STEERING_KERNEL;
  return major > firstMajor || (major === firstMajor && minor >= firstMinor);
}

/**
 * How many listeners per address each slot opens, so that the `initialSlots` slots a
 * generation starts with hold at least one listener per CPU between them.
 *
 * @param initialSlots slots started per generation (at least 1).
 * @param cpus CPU ids to cover (see {@link onlineCpuCount}).
 * @returns `ceil(cpus / initialSlots)`, at least 1.
 * @throws {RangeError} when `initialSlots` is not a positive integer.
 */
export function listenersPerSlot(initialSlots: number, cpus: number): number {
  if (!Number.isInteger(initialSlots) || initialSlots < 1) {
    throw new RangeError(
      `Cannot compute listeners per slot: initialSlots must be a positive integer, got ${initialSlots}`,
    );
  }
  return Math.max(1, Math.ceil(cpus / initialSlots));
}

/**
 * The CPU a generation's listener is pinned to during a restart. Numbering a generation's
 * listeners for one address 0, 1, 2, … (slot index × {@link listenersPerSlot} + listener
 * index) and pinning each to `ordinal % cpus` covers every CPU once there are `cpus` of them.
 *
 * @param ordinal the listener's 0-based number within its generation, for one address.
 * @param cpus CPU ids to cover (see {@link onlineCpuCount}).
 * @returns the CPU id to pin to.
 */
export function steeringCpu(ordinal: number, cpus: number): number {
  return ordinal % cpus;
}

/**
 * Lists this process's file descriptors that are listening TCP sockets (IPv4 and IPv6) on a
 * port. Workers share the process's fd table, so this includes every thread's listeners;
 * telling them apart takes a before/after difference around `Deno.listen`.
 *
 * The cost grows with every TCP socket of the network namespace (`/proc/net/tcp` lists them
 * all), so call it at a restart, not per connection.
 *
 * @param port the local port.
 * @returns the descriptors, ascending.
 * @throws {Deno.errors.NotCapable} without `--allow-all` (Deno guards `/proc/self/fd`).
 */
export function listeningSocketFds(port: number): number[] {
  const inodes = new Set<string>();
  for (const path of PROC_NET_TCP_FILES) {
    const text = readIfPresent(path) ?? "";
    for (const inode of parseListeningInodes(text, port)) inodes.add(inode);
  }
  const fds: number[] = [];
  for (const entry of Deno.readDirSync("/proc/self/fd")) {
    const target = readLinkIfPresent(`/proc/self/fd/${entry.name}`);
    const inode = target === null ? undefined : /^socket:\[(\d+)\]$/.exec(target)?.[1];
    if (inode !== undefined && inodes.has(inode)) fds.push(Number(entry.name));
  }
  return fds.sort((a, b) => a - b);
}

/**
 * The number of CPU ids that can handle a SYN: the highest online CPU id plus one, from
 * `/sys/devices/system/cpu/online`. This is the whole machine, not this process's affinity or
 * cgroup quota (`navigator.hardwareConcurrency`), because the kernel processes a SYN on the
 * CPU its softirq runs on, whatever CPUs mpmd may run on. Offline ids below the highest are
 * counted too: pinning a socket to them is harmless, and missing an online one would not be.
 * Falls back to `navigator.hardwareConcurrency` where the file is missing or not readable.
 *
 * @returns at least 1.
 */
export function onlineCpuCount(): number {
  let text: string | null;
  try {
    text = readIfPresent(ONLINE_CPUS_PATH);
  } catch (error) {
    // Narrower grants than --allow-all cannot read /sys; the thread count is the best guess.
    if (
      !(error instanceof Deno.errors.NotCapable || error instanceof Deno.errors.PermissionDenied)
    ) {
      throw error;
    }
    text = null;
  }
  const highest = text === null ? undefined : parseCpuList(text).at(-1);
  return highest === undefined ? Math.max(1, navigator.hardwareConcurrency) : highest + 1;
}

const LIBC_SYMBOLS = {
  setsockopt: { parameters: ["i32", "i32", "i32", "buffer", "u32"], result: "i32" },
  getsockopt: { parameters: ["i32", "i32", "i32", "buffer", "buffer"], result: "i32" },
  __errno_location: { parameters: [], result: "pointer" },
  strerror: { parameters: ["i32"], result: "pointer" },
} as const;

type Libc = Deno.DynamicLibrary<typeof LIBC_SYMBOLS>;

/**
 * Opens libc through Deno's FFI to control `SO_INCOMING_CPU`. Returns `null` rather than
 * throwing when steering is impossible here, because the caller's answer is the same either
 * way (restart without steering): not Linux, no glibc `libc.so.6` (e.g. musl), or no FFI
 * permission (`--allow-ffi`, which mpmd's `--allow-all` includes; no unstable flag needed).
 *
 * @returns the control, or `null` when it cannot be had on this system.
 */
export function openIncomingCpuControl(): IncomingCpuControl | null {
  if (Deno.build.os !== "linux") return null;
  let libc: Libc;
  try {
    libc = Deno.dlopen("libc.so.6", LIBC_SYMBOLS);
  } catch {
    // dlopen reports a missing library and a missing permission with different error
    // classes; both mean "no steering on this system", which is what null says.
    return null;
  }
  const close = () => libc.close();
  return {
    set(fd, cpu) {
      const status = libc.symbols.setsockopt(
        fd,
        SOL_SOCKET,
        SO_INCOMING_CPU,
        new Int32Array([cpu]),
        Int32Array.BYTES_PER_ELEMENT,
      );
      if (status !== 0) throw socketOptionError(libc, "set", fd, status);
    },
    get(fd) {
      const value = new Int32Array([NO_CPU]);
      const length = new Uint32Array([Int32Array.BYTES_PER_ELEMENT]);
      const status = libc.symbols.getsockopt(fd, SOL_SOCKET, SO_INCOMING_CPU, value, length);
      if (status !== 0) throw socketOptionError(libc, "get", fd, status);
      return value[0] ?? NO_CPU;
    },
    close,
    [Symbol.dispose]: close,
  };
}

/** Builds the error right after a failed call, while this thread's `errno` still holds. */
function socketOptionError(
  libc: Libc,
  verb: "set" | "get",
  fd: number,
  status: number,
): IncomingCpuError {
  const errnoPointer = libc.symbols.__errno_location();
  if (errnoPointer === null) return new IncomingCpuError(verb, fd, null, `returned ${status}`);
  const errno = new Deno.UnsafePointerView(errnoPointer).getInt32();
  const text = libc.symbols.strerror(errno);
  const reason = text === null ? `errno ${errno}` : Deno.UnsafePointerView.getCString(text);
  return new IncomingCpuError(verb, fd, errno, reason);
}

function readIfPresent(path: string): string | null {
  try {
    return Deno.readTextFileSync(path);
  } catch (error) {
    // A kernel without IPv6 has no /proc/net/tcp6; one without CPU hotplug info no
    // /sys/devices/system/cpu/online.
    if (error instanceof Deno.errors.NotFound) return null;
    throw error;
  }
}

function readLinkIfPresent(path: string): string | null {
  try {
    return Deno.readLinkSync(path);
  } catch (error) {
    // The directory handle readDirSync itself holds, and fds closed by another thread
    // meanwhile, are gone by the time their link is read.
    if (error instanceof Deno.errors.NotFound) return null;
    throw error;
  }
}
