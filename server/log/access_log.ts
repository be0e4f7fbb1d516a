/**
 * The access log (mod_log_config's CustomLog): a compiled LogFormat over a sink.
 *
 * @module
 */

import { compileLogFormat, type LogFormatOptions } from "./log_format.ts";
import type { LogSink } from "./log_sink.ts";
import type { AccessRecord } from "./access_record.ts";

/** Settings of {@link createAccessLog}. */
export interface AccessLogOptions extends LogFormatOptions {
  /** The LogFormat string, nicknames already resolved. */
  format: string;
  /** Where lines go; the access log owns it and closes it. Use a buffered sink for files. */
  sink: LogSink;
}

/** One CustomLog. */
export interface AccessLog {
  /** Formats `record` and queues its line; never waits on I/O and never throws on a failed write. */
  write(record: AccessRecord): void;
  /** Resolves once every line written so far has reached the sink's destination. */
  flush(): Promise<void>;
  /** Flushes and closes the sink. */
  close(): Promise<void>;
}

/**
 * Creates an access log writing `options.format` lines to `options.sink`. The format is
 * compiled here, once.
 *
 * @throws {LogFormatError} when the format cannot be compiled.
 */
export function createAccessLog(options: AccessLogOptions): AccessLog {
  const format = compileLogFormat(options.format, options);
  const sink = options.sink;
  return {
    write(record) {
      sink.write(format(record));
    },
    async flush() {
      await sink.flush();
    },
    async close() {
      await sink.close();
    },
  };
}
