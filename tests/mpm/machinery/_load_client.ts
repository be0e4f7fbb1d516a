/**
 * A load client that counts what load tools do not: every request it sent and never got an
 * answer to. Each client sends its next request as soon as the last answer arrived, on a
 * kept-alive connection (reconnecting when the server closes it after an answer) or on a new
 * connection each time. ab counts failures of its own making too (a connection closed between
 * its requests counts as failed); this client counts only requests the server lost.
 *
 * @module
 */

import assert from "node:assert/strict";
import { indexOfCrlfCrlf } from "../../server/http/_raw_client.ts";

const ANSWER_DEADLINE_MS = 15_000;
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
  /** Connections opened. */
  readonly connections: number;
}

/** Asserts that no load lost, was refused or got other than 200 for, any request. */
export function assertNothingLost(reports: readonly LoadReport[]): void {
  for (const report of reports) {
    assert.deepEqual(
      { lost: report.lost, refused: report.refused, non200: report.non200 },
      { lost: 0, refused: 0, non200: 0 },
      JSON.stringify(report),
    );
  }
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
  const counts = { answered: 0, non200: 0, lost: 0, refused: 0, unsent: 0, connections: 0 };
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
          if (answer === null) {
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

/** Reads answers framed by Content-Length, one after the other, from one connection. */
class AnswerReader {
  readonly #conn: Deno.Conn;
  #buffer = new Uint8Array(0);

  constructor(conn: Deno.Conn) {
    this.#conn = conn;
  }

  /** The next answer; `null` if the connection ends, fails or stalls before it is whole. */
  async next(): Promise<{ readonly status: number; readonly close: boolean } | null> {
    const deadline = Date.now() + ANSWER_DEADLINE_MS;
    let end: number;
    while ((end = indexOfCrlfCrlf(this.#buffer)) < 0) {
      if (!await this.#more(deadline)) return null;
    }
    const head = decoder.decode(this.#buffer.subarray(0, end)).toLowerCase();
    const status = Number(head.slice(9, 12));
    const length = Number(/\r\ncontent-length: *(\d+)/.exec(head)?.[1] ?? NaN);
    if (!Number.isInteger(length)) {
      throw new Error(`Cannot frame an answer without length: ${head}`);
    }
    while (this.#buffer.length < end + length) {
      if (!await this.#more(deadline)) return null;
    }
    this.#buffer = this.#buffer.slice(end + length);
    return { status, close: /\r\nconnection: *close/.test(head) };
  }

  async #more(deadline: number): Promise<boolean> {
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
    if (n === null || n === "stalled") return false;
    const grown = new Uint8Array(this.#buffer.length + n);
    grown.set(this.#buffer);
    grown.set(chunk.subarray(0, n), this.#buffer.length);
    this.#buffer = grown;
    return true;
  }
}
