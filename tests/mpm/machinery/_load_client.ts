/**
 * A load client that counts what load tools do not: every request it sent and never got an
 * answer to. Each client sends its next request as soon as the last answer arrived, on a
 * kept-alive connection (reconnecting when the server closes it after an answer) or on a new
 * connection each time. ab counts failures of its own making too (a connection closed between
 * its requests counts as failed); this client counts only requests the server lost.
 *
 * A request sent on a kept-alive connection just as the server closes it idle is retried on
 * a new connection, as browsers and curl do (RFC 9112 §9.3.1). The server logs each such
 * race it sees ({@link KEEP_ALIVE_RACE}); {@link assertNothingLost} accepts a retry only
 * against one of those lines, so a request the server dropped otherwise still fails a test.
 *
 * @module
 */

import assert from "node:assert/strict";
import { eventually } from "../../_deadline.ts";
import { indexOfCrlfCrlf } from "../../server/http/_raw_client.ts";

const ANSWER_DEADLINE_MS = 15_000;
/** How long the server's log lines may trail the load's report. */
const LOG_DEADLINE_MS = 5_000;
/** The server's info line for a request that crossed its close of an idle connection. */
export const KEEP_ALIVE_RACE = /Closed idle connection of .* as a request arrived/;
const decoder = new TextDecoder();

/** What the load saw. */
export interface LoadReport {
  /** Answers received in full. */
  readonly answered: number;
  /** Answers with a status other than 200. */
  readonly non200: number;
  /** Requests sent (written whole) whose connection ended or stalled before their answer. */
  readonly lost: number;
  /** Connections the server refused or reset before a request was sent. */
  readonly refused: number;
  /**
   * Requests not sent because the server had closed the kept-alive connection first (TLS
   * clients see its close_notify): the keep-alive race a client answers by sending again on a
   * new connection (RFC 9112 §9.3.1), as this one does; nothing was lost.
   */
  readonly unsent: number;
  /**
   * Requests sent on a kept-alive connection that the server then closed without a byte of
   * answer, and sent again on a new connection: the same race, met a moment later.
   */
  readonly retried: number;
  /** Connections opened. */
  readonly connections: number;
}

/**
 * Asserts that no load lost, was refused or got other than 200 for, any request, and that
 * each retried request matches a {@link KEEP_ALIVE_RACE} line in `serverLog` (the server's
 * stderr lines, still growing; its LogLevel must be info for retries to be accepted).
 */
export async function assertNothingLost(
  reports: readonly LoadReport[],
  serverLog: readonly string[],
): Promise<void> {
  for (const report of reports) {
    assert.deepEqual(
      { lost: report.lost, refused: report.refused, non200: report.non200 },
      { lost: 0, refused: 0, non200: 0 },
      JSON.stringify(report),
    );
  }
  const retried = reports.reduce((sum, report) => sum + report.retried, 0);
  const races = () => serverLog.filter((line) => KEEP_ALIVE_RACE.test(line)).length;
  if (retried === 0) return;
  await eventually(
    () => races() >= retried,
    `the server's log to account for ${retried} retried requests (${races()} races logged)`,
    LOG_DEADLINE_MS,
  );
}

/** A running load. */
export interface Load {
  /** Answers so far. */
  answered(): number;
  /** Lets every client finish the request it has in flight, then reports. */
  stop(): Promise<LoadReport>;
}

/** Options of {@link startLoad}. */
export interface LoadOptions {
  /** Clients, each one connection at a time. */
  readonly clients: number;
  /** Keep connections alive (HTTP/1.1), or send `Connection: close` on each request. */
  readonly keepAlive: boolean;
  /** @default "/" */
  readonly path?: string;
  /**
   * A client's pause between an answer and its next request: a browser's think time, and
   * the moment in which a draining server may close an idle connection.
   * @default 0
   */
  readonly pauseMs?: number;
  /**
   * Speak TLS, trusting `caCerts` and naming `serverName` (SNI and the Host field); a
   * handshake that fails counts as refused.
   */
  readonly tls?: { readonly caCerts: readonly string[]; readonly serverName: string };
}

/** Starts `clients` clients against 127.0.0.1:`port`. */
export function startLoad(port: number, options: LoadOptions): Load {
  const counts = {
    answered: 0,
    non200: 0,
    lost: 0,
    refused: 0,
    unsent: 0,
    retried: 0,
    connections: 0,
  };
  let stopped = false;
  const pauseMs = options.pauseMs ?? 0;
  const { tls } = options;
  const request = new TextEncoder().encode(
    `GET ${options.path ?? "/"} HTTP/1.1\r\nHost: ${tls?.serverName ?? "load"}\r\n` +
      (options.keepAlive ? "" : "Connection: close\r\n") + "\r\n",
  );

  async function client(): Promise<void> {
    while (!stopped) {
      let conn: Deno.Conn;
      try {
        conn = tls === undefined
          ? await Deno.connect({ hostname: "127.0.0.1", port })
          : await connectTls(port, tls);
      } catch {
        counts.refused++;
        continue;
      }
      counts.connections++;
      const reader = new AnswerReader(conn);
      let served = 0;
      try {
        for (;;) {
          if (stopped) break;
          try {
            await writeAll(conn, request);
          } catch {
            // Not sent: the server had closed the connection between two requests; on a
            // connection that has served none, the server refused it.
            if (served > 0) counts.unsent++;
            else counts.refused++;
            break;
          }
          const answer = await reader.next();
          if (answer === CLOSED_BEFORE_ANSWER && served > 0) {
            counts.retried++; // The next connection sends it again.
            break;
          }
          if (answer === CLOSED_BEFORE_ANSWER || answer === null) {
            counts.lost++;
            break;
          }
          counts.answered++;
          served++;
          if (answer.status !== 200) counts.non200++;
          if (answer.close || !options.keepAlive) break;
          if (pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, pauseMs));
        }
      } finally {
        try {
          conn.close();
        } catch {
          // Closed by a failed read already.
        }
      }
    }
  }

  const running = Array.from({ length: options.clients }, () => client());
  return {
    answered: () => counts.answered,
    async stop() {
      stopped = true;
      await Promise.all(running);
      return { ...counts };
    },
  };
}

/** A TLS connection to 127.0.0.1 for `serverName`, its handshake done. */
async function connectTls(
  port: number,
  tls: NonNullable<LoadOptions["tls"]>,
): Promise<Deno.TlsConn> {
  const tcp = await Deno.connect({ hostname: "127.0.0.1", port });
  // startTls names the server (SNI, certificate check) without resolving the name.
  const conn = await Deno.startTls(tcp, { hostname: tls.serverName, caCerts: [...tls.caCerts] });
  try {
    await conn.handshake();
  } catch (error) {
    conn.close();
    throw error;
  }
  return conn;
}

async function writeAll(conn: Deno.Conn, bytes: Uint8Array): Promise<void> {
  for (let offset = 0; offset < bytes.length;) offset += await conn.write(bytes.subarray(offset));
}

/** {@link AnswerReader.next}: the connection ended before any byte of the answer. */
const CLOSED_BEFORE_ANSWER = "closed before answer";

/** Reads answers framed by Content-Length, one after the other, from one connection. */
class AnswerReader {
  readonly #conn: Deno.Conn;
  #buffer = new Uint8Array(0);

  constructor(conn: Deno.Conn) {
    this.#conn = conn;
  }

  /**
   * The next answer; {@link CLOSED_BEFORE_ANSWER} if the connection ends (or is reset)
   * before any byte of it, `null` if it ends within it or stalls.
   */
  async next(): Promise<
    { readonly status: number; readonly close: boolean } | typeof CLOSED_BEFORE_ANSWER | null
  > {
    const deadline = Date.now() + ANSWER_DEADLINE_MS;
    let end: number;
    while ((end = indexOfCrlfCrlf(this.#buffer)) < 0) {
      const more = await this.#more(deadline);
      if (more === "ended" && this.#buffer.length === 0) return CLOSED_BEFORE_ANSWER;
      if (more !== "read") return null;
    }
    const head = decoder.decode(this.#buffer.subarray(0, end)).toLowerCase();
    const status = Number(head.slice(9, 12));
    const length = Number(/\r\ncontent-length: *(\d+)/.exec(head)?.[1] ?? NaN);
    if (!Number.isInteger(length)) {
      throw new Error(`Cannot frame an answer without length: ${head}`);
    }
    while (this.#buffer.length < end + length) {
      if (await this.#more(deadline) !== "read") return null;
    }
    this.#buffer = this.#buffer.slice(end + length);
    return { status, close: /\r\nconnection: *close/.test(head) };
  }

  async #more(deadline: number): Promise<"read" | "ended" | "stalled"> {
    const chunk = new Uint8Array(16 * 1024);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const stalled = new Promise<"stalled">((resolve) => {
      timer = setTimeout(() => resolve("stalled"), Math.max(0, deadline - Date.now()));
    });
    let n: number | null | "stalled";
    try {
      n = await Promise.race([this.#conn.read(chunk), stalled]);
    } catch {
      n = null; // A reset ends the connection as a close does.
    } finally {
      clearTimeout(timer);
    }
    if (n === null) return "ended";
    if (n === "stalled") return "stalled";
    const grown = new Uint8Array(this.#buffer.length + n);
    grown.set(this.#buffer);
    grown.set(chunk.subarray(0, n), this.#buffer.length);
    this.#buffer = grown;
    return "read";
  }
}
