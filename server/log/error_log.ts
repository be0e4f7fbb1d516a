/**
 * The error log: httpd 2.4's default ErrorLogFormat over a {@link LogSink}.
 *
 * @module
 */

import { LOG_LEVELS, type Logger, type LogLevel } from "./logger.ts";
import { createStderrSink, type LogSink } from "./log_sink.ts";
import { escapeControlChars } from "./escape_log_item.ts";
import { formatErrorLogTime, localOffsetMinutes, timeParts } from "./_time_format.ts";
import type { Endpoint } from "./access_record.ts";

/** Settings of {@link createErrorLog}. */
export interface ErrorLogOptions {
  /** httpd's LogLevel: less severe entries are dropped (except `notice`, see {@link createErrorLog}). */
  level: LogLevel;
  /**
   * Where entries go.
   * @default createStderrSink()
   */
  sink?: LogSink;
  /**
   * Module name of the first logger (`[core:error]`); others come from `withModule()`.
   * @default "core"
   */
  module?: string;
  /**
   * Written as `[pid N:…]`.
   * @default Deno.pid
   */
  pid?: number;
  /**
   * Written as `[…:tid N]`: Deno has no thread ids, so 0 is a process's main thread and a
   * Worker passes its own id.
   * @default 0
   */
  tid?: number;
  /**
   * Fixed UTC offset (minutes east of UTC) of the timestamps.
   * @default the host's local offset at each entry
   */
  utcOffsetMinutes?: number;
  /**
   * Clock in ms since the epoch; fractions give the microseconds.
   * @default () => performance.timeOrigin + performance.now()
   */
  now?: () => number;
}

/** A {@link Logger} that can also tag entries with the client they concern. */
export interface ErrorLogger extends Logger {
  /** A logger writing to the same place, tagging entries with another module name. */
  withModule(module: string): ErrorLogger;
  /** A logger whose entries carry `[client address:port]` (or none, for `null`). */
  withClient(client: Endpoint | null): ErrorLogger;
}

/** How many `cause` links of an Error chain are written before the rest is cut. */
const MAX_CAUSE_DEPTH = 4;

const RANK: Readonly<Record<LogLevel, number>> = Object.fromEntries(
  LOG_LEVELS.map((level, rank) => [level, rank]),
) as Record<LogLevel, number>;

interface Shared {
  readonly rank: number;
  readonly level: LogLevel;
  readonly sink: LogSink;
  readonly pidTid: string;
  readonly offsetAt: (ms: number) => number;
  readonly now: () => number;
}

/**
 * Creates the error log. Each entry is one line
 * `[Thu Nov 26 10:14:51.123456 2026] [core:error] [pid 1234:tid 0] [client 1.2.3.4:5678] message`
 * (httpd's default ErrorLogFormat without the source-file and APR-error fields), followed by
 * the cause: an Error's stack (continued on the following, indented lines) or `String(cause)`.
 *
 * Entries less severe than `level` are dropped, except `notice`: httpd's `log_error_core()`
 * (server/log.c) skips only when `level != APLOG_NOTICE && level > configured level`, and the
 * LogLevel manual (core.html#loglevel) notes that notice messages cannot be suppressed when
 * logging to a file. Startup and shutdown notices therefore always appear.
 *
 * Callers escape client-supplied text with `escapeLogItem()`, as httpd's modules do; as a
 * last line of defence against forged entries, control characters left in a message or in an
 * Error's message are escaped here (see `escapeControlChars()`), so that the only line breaks
 * in an entry are those of a cause's stack frames.
 */
export function createErrorLog(options: ErrorLogOptions): ErrorLogger {
  const fixedOffset = options.utcOffsetMinutes;
  const shared: Shared = {
    rank: RANK[options.level],
    level: options.level,
    sink: options.sink ?? createStderrSink(),
    pidTid: `[pid ${options.pid ?? Deno.pid}:tid ${options.tid ?? 0}]`,
    offsetAt: fixedOffset === undefined ? localOffsetMinutes : () => fixedOffset,
    now: options.now ?? (() => performance.timeOrigin + performance.now()),
  };
  return new ErrorLog(shared, options.module ?? "core", "");
}

class ErrorLog implements ErrorLogger {
  readonly #shared: Shared;
  readonly #module: string;
  /** `[client a:p] ` or `""`. */
  readonly #client: string;

  constructor(shared: Shared, module: string, client: string) {
    this.#shared = shared;
    this.#module = module;
    this.#client = client;
  }

  get level(): LogLevel {
    return this.#shared.level;
  }

  enabled(level: LogLevel): boolean {
    return level === "notice" || RANK[level] <= this.#shared.rank;
  }

  log(level: LogLevel, message: string, cause?: unknown): void {
    if (!this.enabled(level)) return;
    const { sink, pidTid, offsetAt, now } = this.#shared;
    const ms = now();
    const time = formatErrorLogTime(timeParts(ms, offsetAt(ms)));
    const tail = cause === undefined ? "" : `: ${describeCause(cause, 0)}`;
    const text = escapeControlChars(message);
    sink.write(`[${time}] [${this.#module}:${level}] ${pidTid} ${this.#client}${text}${tail}`);
  }

  error(message: string, cause?: unknown): void {
    this.log("error", message, cause);
  }

  warn(message: string): void {
    this.log("warn", message);
  }

  notice(message: string): void {
    this.log("notice", message);
  }

  info(message: string): void {
    this.log("info", message);
  }

  debug(message: string): void {
    this.log("debug", message);
  }

  withModule(module: string): ErrorLogger {
    return new ErrorLog(this.#shared, module, this.#client);
  }

  withClient(client: Endpoint | null): ErrorLogger {
    const tag = client === null ? "" : `[client ${client.hostname}:${client.port}] `;
    return new ErrorLog(this.#shared, this.#module, tag);
  }
}

/**
 * An Error's stack (with its `cause` chain), else the value's string form; control characters
 * escaped except the line breaks between stack frames.
 */
function describeCause(cause: unknown, depth: number): string {
  if (!(cause instanceof Error)) {
    try {
      return escapeControlChars(String(cause));
    } catch {
      return Object.prototype.toString.call(cause);
    }
  }
  // A stack starts with "Name: message" (the message may hold anything), then the frames.
  const heading = cause.message === "" ? cause.name : `${cause.name}: ${cause.message}`;
  const stack = cause.stack ?? heading;
  const framesAt = stack.startsWith(heading) ? heading.length : stack.search(/\n\s+at /);
  let text = framesAt < 0
    ? escapeControlChars(stack)
    : escapeControlChars(stack.slice(0, framesAt)) + stack.slice(framesAt);
  if (cause.cause !== undefined) {
    text += depth < MAX_CAUSE_DEPTH
      ? `\n    caused by: ${describeCause(cause.cause, depth + 1)}`
      : "\n    caused by: …";
  }
  return text;
}
