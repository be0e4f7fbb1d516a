/**
 * `--hostile`: what a normal client gets while slow clients hold connections open. Each slow
 * client sends a request line and then one header byte at a time, never ending its head (the
 * "slowloris" attack); one the server closes is opened again, so the pressure stays. Beside
 * them a normal client sends one request at a time, each on a new connection, and records
 * whether and how fast it was answered.
 *
 * @module
 */

/** What one hostile run does. */
export interface HostileOptions {
  /** The server's loopback port. */
  readonly port: number;
  /** The path the normal client GETs (and the slow clients pretend to). */
  readonly path: string;
  /** Slow connections held open. */
  readonly slowClients: number;
  /** Pause between two header bytes of one slow client, in milliseconds. */
  readonly byteEveryMs: number;
  /** Length of the run, in seconds. */
  readonly durationSec: number;
  /** Pause between two requests of the normal client, in milliseconds. */
  readonly probeEveryMs: number;
  /** A normal request not answered within this many milliseconds has failed. */
  readonly probeTimeoutMs: number;
}

/** What the normal client saw, and what the slow clients managed. */
export interface HostileResult {
  /** Normal requests answered 200 within the timeout. */
  readonly answered: number;
  /** Normal requests refused, reset, answered otherwise, or not answered in time. */
  readonly failed: number;
  /** Latency of the answered ones, in milliseconds; `null` when none was answered. */
  readonly latencyMs: { readonly p50: number; readonly p99: number; readonly max: number } | null;
  /** Slow connections the server closed during the run (each was opened again). */
  readonly slowClosedByServer: number;
  /** Slow connections open at the end of the run. */
  readonly slowOpenAtEnd: number;
}

/** Defaults of {@link HostileOptions} besides the port and path (the test shape). */
export const HOSTILE_DEFAULTS = {
  slowClients: 300,
  byteEveryMs: 3_000,
  durationSec: 20,
  probeEveryMs: 100,
  probeTimeoutMs: 5_000,
} as const;

const encoder = new TextEncoder();
/** What a slow client trickles after its request line, one byte per tick, over and over. */
const TRICKLE = encoder.encode("X-Slow: 1\r\n");

/** The value at quantile `q` (0..1) of ascending `sorted`. */
export function quantile(sorted: readonly number[], q: number): number {
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[index]!;
}

/** Runs slow clients and the normal client for `durationSec`; cleans up every socket. */
export async function runHostile(
  options: HostileOptions,
  signal: AbortSignal,
): Promise<HostileResult> {
  const deadline = Date.now() + options.durationSec * 1000;
  const slow = new SlowClients(options);
  try {
    await slow.open();
    const probes = await probeUntil(options, deadline, signal);
    const latencies = probes.filter((p) => p !== null).sort((a, b) => a - b);
    return {
      answered: latencies.length,
      failed: probes.length - latencies.length,
      latencyMs: latencies.length === 0 ? null : {
        p50: quantile(latencies, 0.5),
        p99: quantile(latencies, 0.99),
        max: latencies[latencies.length - 1]!,
      },
      slowClosedByServer: slow.closedByServer,
      slowOpenAtEnd: slow.openCount,
    };
  } finally {
    slow.close();
  }
}

/** The normal client: one request at a time until `deadline`; each entry a latency or `null`. */
async function probeUntil(
  options: HostileOptions,
  deadline: number,
  signal: AbortSignal,
): Promise<(number | null)[]> {
  const results: (number | null)[] = [];
  while (Date.now() < deadline) {
    signal.throwIfAborted();
    results.push(await probeOnce(options));
    await new Promise((resolve) => setTimeout(resolve, options.probeEveryMs));
  }
  return results;
}

/** One GET on a new connection: its latency in ms when answered 200 in time, else `null`. */
async function probeOnce(options: HostileOptions): Promise<number | null> {
  const started = performance.now();
  let conn: Deno.TcpConn | null = null;
  const timer = setTimeout(() => conn?.close(), options.probeTimeoutMs);
  try {
    conn = await Deno.connect({ hostname: "127.0.0.1", port: options.port });
    await conn.write(
      encoder.encode(
        `GET ${options.path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`,
      ),
    );
    const head = new Uint8Array(12);
    let read = 0;
    while (read < head.length) {
      const n = await conn.read(head.subarray(read));
      if (n === null) return null;
      read += n;
    }
    if (new TextDecoder().decode(head) !== "HTTP/1.1 200") return null;
    // The answer counts once it is whole: read to the server's close.
    const rest = new Uint8Array(16 * 1024);
    while (await conn.read(rest) !== null);
    return performance.now() - started;
  } catch {
    // Refused, reset, or closed by the timeout: a failed request.
    return null;
  } finally {
    clearTimeout(timer);
    try {
      conn?.close();
    } catch {
      // Closed already by the timeout.
    }
  }
}

/** The slow connections: opened at the start, one byte each per tick, reopened when closed. */
class SlowClients {
  readonly #options: HostileOptions;
  readonly #conns = new Set<Deno.TcpConn>();
  #ticker: ReturnType<typeof setInterval> | null = null;
  #offset = 0;
  #closing = false;
  closedByServer = 0;

  constructor(options: HostileOptions) {
    this.#options = options;
  }

  get openCount(): number {
    return this.#conns.size;
  }

  /** Opens every slow connection and starts the trickle. */
  async open(): Promise<void> {
    await Promise.all(Array.from({ length: this.#options.slowClients }, () => this.#openOne()));
    this.#ticker = setInterval(() => this.#tick(), this.#options.byteEveryMs);
  }

  async #openOne(): Promise<void> {
    if (this.#closing) return;
    try {
      const conn = await Deno.connect({ hostname: "127.0.0.1", port: this.#options.port });
      if (this.#closing) {
        conn.close();
        return;
      }
      this.#conns.add(conn);
      await conn.write(encoder.encode(`GET ${this.#options.path} HTTP/1.1\r\nHost: 127.0.0.1\r\n`));
    } catch {
      // The server refused or reset it: the next tick's count shows the missing one.
    }
  }

  #tick(): void {
    const byte = TRICKLE.subarray(this.#offset, this.#offset + 1);
    this.#offset = (this.#offset + 1) % TRICKLE.length;
    for (const conn of this.#conns) {
      conn.write(byte).catch(() => {
        if (this.#closing || !this.#conns.delete(conn)) return;
        this.closedByServer++;
        try {
          conn.close();
        } catch {
          // Already closed.
        }
        void this.#openOne();
      });
    }
  }

  /** Stops the trickle and closes every slow connection. */
  close(): void {
    this.#closing = true;
    if (this.#ticker !== null) clearInterval(this.#ticker);
    for (const conn of this.#conns) {
      try {
        conn.close();
      } catch {
        // Already closed.
      }
    }
    this.#conns.clear();
  }
}

/** The hostile results as text lines: one row per server. */
export function renderHostile(
  settings: Omit<HostileOptions, "port">,
  rows: readonly { readonly name: string; readonly result: HostileResult | string }[],
): string[] {
  const ms = (n: number) => n < 10 ? n.toFixed(2) : n.toFixed(0);
  const head = [
    "server",
    "answered",
    "failed",
    "p50 ms",
    "p99 ms",
    "max ms",
    "slow closed by server",
    "slow open at end",
  ];
  const cells = rows.map(({ name, result }) =>
    typeof result === "string" ? [name, result] : [
      name,
      String(result.answered),
      String(result.failed),
      result.latencyMs ? ms(result.latencyMs.p50) : "-",
      result.latencyMs ? ms(result.latencyMs.p99) : "-",
      result.latencyMs ? ms(result.latencyMs.max) : "-",
      String(result.slowClosedByServer),
      String(result.slowOpenAtEnd),
    ]
  );
  const full = [head, ...cells.filter((r) => r.length === head.length)];
  const widths = head.map((_, col) => Math.max(...full.map((r) => r[col]!.length)));
  return [
    `hostile: ${settings.slowClients} slow clients (one header byte every ${settings.byteEveryMs} ms, ` +
    `reopened when closed) for ${settings.durationSec} s; a normal client GETs ${settings.path} ` +
    `on a new connection every ${settings.probeEveryMs} ms, failed after ${settings.probeTimeoutMs} ms`,
    "",
    ...full.map((r) =>
      r.map((c, col) => col === 0 ? c.padEnd(widths[col]!) : c.padStart(widths[col]!)).join("  ")
    ),
    ...cells.filter((r) => r.length !== head.length).map((r) => `${r[0]}: ${r[1]}`),
  ];
}
