/**
 * Logging as httpd does it: the error log (LogLevel, `[time] [module:level] [pid N:tid M]`
 * entries, or JSON lines) and access logs (mod_log_config's LogFormat language, compiled once per
 * CustomLog), written through sinks that never make a request wait on the disk.
 *
 * Only this folder and `main.ts` touch the console; everything else receives a
 * {@link Logger}.
 *
 * @example Error log and a combined access log
 * ```ts
 * import {
 *   COMBINED_LOG_FORMAT,
 *   createAccessLog,
 *   createErrorLog,
 *   openLogSink,
 * } from "./mod.ts";
 *
 * const errorLog = createErrorLog({ level: "warn", sink: openLogSink("stderr") });
 * errorLog.withModule("mpm_event").notice("mpmd configured -- resuming normal operations");
 *
 * const path = await Deno.makeTempFile({ suffix: "_access_log" }); // e.g. /var/log/mpmd/access_log
 * const accessLog = createAccessLog({
 *   format: COMBINED_LOG_FORMAT,
 *   sink: openLogSink(path, { errorLog }),
 * });
 * // per request: accessLog.write(record);  at shutdown:
 * await accessLog.close();
 * ```
 *
 * @module
 */

export type { AccessRecord, Endpoint, HeaderFields, TlsRecord } from "./access_record.ts";
export { LOG_LEVELS } from "./logger.ts";
export type { Logger, LogLevel } from "./logger.ts";
export { createErrorLog } from "./error_log.ts";
export type { ErrorLogDestination, ErrorLogger, ErrorLogOptions } from "./error_log.ts";
export { ERROR_LOG_FORMATS, ERROR_LOG_RENDERERS } from "./error_log_format.ts";
export type { ErrorLogEntry, ErrorLogFormat, ErrorLogRenderer } from "./error_log_format.ts";
export { createMemorySink, createStderrSink } from "./log_sink.ts";
export type { LogSink, MemorySink } from "./log_sink.ts";
export {
  createBufferedSink,
  createFileSink,
  createStdoutSink,
  DEFAULT_FLUSH_INTERVAL_MS,
  DEFAULT_MAX_BUFFER_BYTES,
} from "./buffered_sink.ts";
export type { BufferedSinkOptions, BufferedSinkTarget, LogWriter } from "./buffered_sink.ts";
export { openLogSink } from "./open_log_sink.ts";
export {
  COMBINED_LOG_FORMAT,
  COMMON_LOG_FORMAT,
  compileLogFormat,
  LOG_FORMAT_NICKNAMES,
  LogFormatError,
} from "./log_format.ts";
export type { LogFormatOptions, LogFormatter } from "./log_format.ts";
export { createAccessLog } from "./access_log.ts";
export type { AccessLog, AccessLogOptions } from "./access_log.ts";
export { escapeLogItem, stripAnsiSequences } from "./escape_log_item.ts";
export { type BasicCredentials, basicCredentials } from "./basic_credentials.ts";
