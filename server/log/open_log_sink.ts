/**
 * Turns an ErrorLog / CustomLog target from the config into a {@link LogSink}.
 *
 * @module
 */

import { type BufferedSinkOptions, createFileSink, createStdoutSink } from "./buffered_sink.ts";
import { createStderrSink, type LogSink } from "./log_sink.ts";

/**
 * Opens a log target as the config names it: `stderr` is written synchronously and
 * unbuffered (like C's stderr: error-log entries must survive a crash), `stdout` and file
 * paths are buffered (see `createBufferedSink()`); a file is opened for appending and created
 * if missing.
 *
 * @param target `stderr`, `stdout`, or an absolute file path.
 * @param options Buffering and failure reporting of `stdout` and file targets.
 * @throws {Error} `Cannot open log file <path>: <reason>` when a file cannot be opened.
 */
export function openLogSink(target: string, options: BufferedSinkOptions = {}): LogSink {
  if (target === "stderr") return createStderrSink();
  if (target === "stdout") return createStdoutSink(options);
  return createFileSink(target, options);
}
