/**
 * The error log: entries tagged with their module, pid, thread and client, rendered in the
 * configured ErrorLogFormat (httpd 2.4's default, or JSON) over a {@link LogSink}.
 *
 * @module
 */

import { LOG_LEVELS, type Logger, type LogLevel } from "./logger.ts";
import { createStderrSink, type LogSink } from "./log_sink.ts";
import {
  ERROR_LOG_RENDERERS,
  type ErrorLogFormat,
  type ErrorLogRenderer,
} from "./error_log_format.ts";
import { localOffsetMinutes } from "./_time_format.ts";
import type { Endpoint } from "./access_record.ts";

/** Settings of {@link createErrorLog}. */
export interface ErrorLogOptions {
  /** httpd's LogLevel: less severe entries are dropped (except `notice`, see {@link createErrorLog}). */
  level: LogLevel;
  /**
   * How entries are written: httpd's default layout, or one JSON object per line.
   * @default "default"
   */
  format?: ErrorLogFormat;
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
   * The process id written in each entry (`[pid N:…]`).
   * @default Deno.pid
   */
  pid?: number;
  /**
   * The thread number written in each entry (`[…:tid N]`): Deno has no thread ids, so 0 is a
   * process's main thread and a Worker passes its own number.
   * @default 0
   */
  tid?: number;
  /**
   * Fixed UTC offset (minutes east of UTC) of the default layout's local timestamps (JSON's
   * are UTC).
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
  /** A logger whose entries name `client` (`[client address:port]`), or none for `null`. */
  withClient(client: Endpoint | null): ErrorLogger;
  /**
   * A logger tagging entries as this one does (format, pid, thread, module, client) that
   * writes them to another sink, or filters them at another level: a virtual host's own
   * ErrorLog and LogLevel.
   */
  withDestination(destination: ErrorLogDestination): ErrorLogger;
}

/** Where {@link ErrorLogger.withDestination} writes, and what it keeps. */
export interface ErrorLogDestination {
  /**
   * Where entries go.
   * @default the sink of the logger it is derived from
   */
  readonly sink?: LogSink;
  /** Entries less severe than this are dropped (except `notice`). */
  readonly level: LogLevel;
}

const RANK: Readonly<Record<LogLevel, number>> = Object.fromEntries(
  LOG_LEVELS.map((level, rank) => [level, rank]),
) as Record<LogLevel, number>;

interface Shared {
  readonly rank: number;
  readonly level: LogLevel;
  readonly sink: LogSink;
  readonly render: ErrorLogRenderer;
  readonly pid: number;
  readonly tid: number;
  readonly offsetAt: (ms: number) => number;
  readonly now: () => number;
}

/**
 * Creates the error log. Each entry is built once and rendered as one line by `format`'s
 * renderer: httpd's default layout
 * `[Thu Nov 26 10:14:51.123456 2026] [core:error] [pid 1234:tid 0] [client 1.2.3.4:5678] message`
 * followed by the cause (an Error's stack on the following, indented lines), or a JSON object
 * (see `ERROR_LOG_RENDERERS`).
 *
 * Entries less severe than `level` are dropped, except `notice`: httpd's `log_error_core()`
 * (server/log.c) skips only when `level != APLOG_NOTICE && level > configured level`, and the
 * LogLevel manual (core.html#loglevel) notes that notice messages cannot be suppressed when
 * logging to a file. Startup and shutdown notices therefore always appear.
 *
 * Callers escape client-supplied text with `escapeLogItem()`, as httpd's modules do; as a
 * last line of defence against forged entries, each renderer keeps control characters out of
 * the line (the default layout escapes them, JSON's strings do), so that the only line breaks
 * in an entry are those of a cause's stack frames in the default layout.
 */
export function createErrorLog(options: ErrorLogOptions): ErrorLogger {
  const fixedOffset = options.utcOffsetMinutes;
  const shared: Shared = {
    rank: RANK[options.level],
    level: options.level,
    sink: options.sink ?? createStderrSink(),
    render: ERROR_LOG_RENDERERS[options.format ?? "default"],
    pid: options.pid ?? Deno.pid,
    tid: options.tid ?? 0,
    offsetAt: fixedOffset === undefined ? localOffsetMinutes : () => fixedOffset,
    now: options.now ?? (() => performance.timeOrigin + performance.now()),
  };
  return new ErrorLog(shared, options.module ?? "core", null);
}

class ErrorLog implements ErrorLogger {
  readonly #shared: Shared;
  readonly #module: string;
  readonly #client: Endpoint | null;

  constructor(shared: Shared, module: string, client: Endpoint | null) {
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
    const { sink, render, pid, tid, offsetAt, now } = this.#shared;
    const timeMs = now();
    sink.write(render({
      timeMs,
      utcOffsetMinutes: offsetAt(timeMs),
      level,
      module: this.#module,
      pid,
      tid,
      client: this.#client,
      message,
      cause,
    }));
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
    return new ErrorLog(this.#shared, this.#module, client);
  }

  withDestination(destination: ErrorLogDestination): ErrorLogger {
    const { sink = this.#shared.sink, level } = destination;
    const shared = { ...this.#shared, sink, level, rank: RANK[level] };
    return new ErrorLog(shared, this.#module, this.#client);
  }
}
