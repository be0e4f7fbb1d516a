/**
 * The error log's layouts: an entry is built once by the logger, then rendered as one line by
 * the renderer of the ErrorLogFormat in force.
 *
 * @module
 */

import type { LogLevel } from "./logger.ts";
import type { Endpoint } from "./access_record.ts";
import { escapeControlChars, stripAnsiSequences } from "./escape_log_item.ts";
import { formatErrorLogTime, formatIsoTime, timeParts } from "./_time_format.ts";

/**
 * The ErrorLogFormat keywords mpmd accepts: `default` is httpd 2.4's default layout, `json`
 * one JSON object per line for container log collectors. httpd's format strings are not
 * supported.
 */
export const ERROR_LOG_FORMATS = ["default", "json"] as const;
/** One of {@link ERROR_LOG_FORMATS}. */
export type ErrorLogFormat = typeof ERROR_LOG_FORMATS[number];

/** One error-log entry: what happened, where and when, whatever the layout. */
export interface ErrorLogEntry {
  /** When, in ms since the epoch; fractions give the microseconds. */
  readonly timeMs: number;
  /** The local UTC offset (minutes east of UTC) at `timeMs`, for layouts that show local time. */
  readonly utcOffsetMinutes: number;
  /** Its severity. */
  readonly level: LogLevel;
  /** The module that wrote it (`core`, `mpm_event`, `http`). */
  readonly module: string;
  /** The writing process's id. */
  readonly pid: number;
  /** 0 for a process's main thread, else the Worker's number. */
  readonly tid: number;
  /** The client the entry concerns, or `null`. */
  readonly client: Endpoint | null;
  /** The text, as the caller wrote it (a renderer keeps it on one line). */
  readonly message: string;
  /** What caused it (an Error or any value), or `undefined` for nothing. */
  readonly cause: unknown;
}

/** Renders an entry as one log line (without the newline). */
export type ErrorLogRenderer = (entry: ErrorLogEntry) => string;

/** How many `cause` links of an Error chain are written before the rest is cut. */
const MAX_CAUSE_DEPTH = 4;

/**
 * httpd's default ErrorLogFormat without the source-file and APR-error fields:
 * `[Thu Nov 26 10:14:51.123456 2026] [core:error] [pid 1234:tid 0] [client 1.2.3.4:5678] message`
 * in local time, then `: ` and the cause: an Error's stack (its frames on the following,
 * indented lines) or `String(cause)`.
 *
 * Terminal colour sequences are removed, and control characters left in the message or in an
 * Error's message are escaped (see `escapeControlChars()`), so that the only line breaks in an
 * entry are those of a stack's frames and no text can forge an entry.
 */
function renderDefault(entry: ErrorLogEntry): string {
  const time = formatErrorLogTime(timeParts(entry.timeMs, entry.utcOffsetMinutes));
  const client = entry.client === null ? "" : `[client ${endpointText(entry.client)}] `;
  const tail = entry.cause === undefined ? "" : `: ${describeCause(entry.cause, plainText)}`;
  return `[${time}] [${entry.module}:${entry.level}] [pid ${entry.pid}:tid ${entry.tid}] ` +
    `${client}${plainText(entry.message)}${tail}`;
}

/**
 * One JSON object per line:
 * `{"time":"2026-11-26T10:14:51.123456Z","level":"error","module":"core","pid":1234,"tid":0,`
 * `"client":"1.2.3.4:5678","message":"…","cause":"TypeError: …\n    at …"}`. `time` is always
 * UTC (`Z`) with microseconds, whatever the host's time zone; `client` and `cause` are present
 * only when known. Text is written as given but for terminal colour sequences:
 * `JSON.stringify()` escapes control characters (and lone surrogates), so a message or a stack
 * can never break the line.
 */
function renderJson(entry: ErrorLogEntry): string {
  return JSON.stringify({
    time: formatIsoTime(timeParts(entry.timeMs, 0)),
    level: entry.level,
    module: entry.module,
    pid: entry.pid,
    tid: entry.tid,
    ...(entry.client === null ? {} : { client: endpointText(entry.client) }),
    message: stripAnsiSequences(entry.message),
    ...(entry.cause === undefined ? {} : { cause: describeCause(entry.cause, stripAnsiSequences) }),
  });
}

/** Text for a default-layout line: no terminal colours, control characters escaped. */
function plainText(text: string): string {
  return escapeControlChars(stripAnsiSequences(text));
}

/** The renderer of each {@link ErrorLogFormat}. */
export const ERROR_LOG_RENDERERS: Readonly<Record<ErrorLogFormat, ErrorLogRenderer>> = {
  default: renderDefault,
  json: renderJson,
};

/** `1.2.3.4:5678`, `::1:80`: httpd writes an IPv6 client without brackets too. */
function endpointText(client: Endpoint): string {
  return `${client.hostname}:${client.port}`;
}

/**
 * An Error's stack (with its `cause` chain), else the value's string form. `escape` is applied
 * to the text a caller or client may control (the value, an Error's heading), never to the
 * line breaks between stack frames.
 */
function describeCause(cause: unknown, escape: (text: string) => string, depth = 0): string {
  if (!(cause instanceof Error)) {
    try {
      return escape(String(cause));
    } catch {
      return Object.prototype.toString.call(cause);
    }
  }
  // A stack starts with "Name: message" (the message may hold anything), then the frames.
  const heading = cause.message === "" ? cause.name : `${cause.name}: ${cause.message}`;
  const stack = cause.stack ?? heading;
  const framesAt = stack.startsWith(heading) ? heading.length : stack.search(/\n\s+at /);
  let text = framesAt < 0
    ? escape(stack)
    : escape(stack.slice(0, framesAt)) + stack.slice(framesAt);
  if (cause.cause !== undefined) {
    text += depth < MAX_CAUSE_DEPTH
      ? `\n    caused by: ${describeCause(cause.cause, escape, depth + 1)}`
      : "\n    caused by: …";
  }
  return text;
}
