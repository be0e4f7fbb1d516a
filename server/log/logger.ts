/**
 * The logger contract every part of mpmd receives. Only `server/log/` and `main.ts` touch
 * the console or log files; everything else is handed a {@link Logger}.
 *
 * @module
 */

/** httpd's LogLevel names, most severe first. */
export const LOG_LEVELS = [
  "emerg",
  "alert",
  "crit",
  "error",
  "warn",
  "notice",
  "info",
  "debug",
  "trace1",
  "trace2",
  "trace3",
  "trace4",
  "trace5",
  "trace6",
  "trace7",
  "trace8",
] as const;

/** One of {@link LOG_LEVELS}. */
export type LogLevel = typeof LOG_LEVELS[number];

/** Writes error-log entries: time, module, level, pid, thread, message (see ErrorLogFormat). */
export interface Logger {
  /** Entries less severe than this are dropped. */
  readonly level: LogLevel;
  /** Whether an entry at `level` would be written (to skip building costly messages). */
  enabled(level: LogLevel): boolean;
  /** Writes one entry; `cause`, if given, is appended (an Error's stack, or its string form). */
  log(level: LogLevel, message: string, cause?: unknown): void;
  /** Writes an entry at `error`; `cause` is appended. */
  error(message: string, cause?: unknown): void;
  /** Writes an entry at `warn`. */
  warn(message: string): void;
  /** Writes an entry at `notice` (always written, as in httpd). */
  notice(message: string): void;
  /** Writes an entry at `info`. */
  info(message: string): void;
  /** Writes an entry at `debug`. */
  debug(message: string): void;
  /** A logger writing to the same place, tagging entries with another module name. */
  withModule(module: string): Logger;
}
