/**
 * Opens the configured error log for one process or thread of the machinery: every isolate
 * writes its own lines (tagged with its pid and thread number, in the configured
 * ErrorLogFormat) to the same target.
 *
 * @module
 */

import type { ServerConfig } from "../server/config/mod.ts";
import { createErrorLog, type ErrorLogger } from "../server/log/mod.ts";
import { openConfiguredLog } from "./configured_logs.ts";

/** An isolate's error log and the way to flush it on the way out. */
export interface IsolateLog {
  /** The log, tagged with the isolate's pid and thread number. */
  readonly logger: ErrorLogger;
  /** Flushes and closes the sink. */
  close(): Promise<void>;
}

/** Opens `config`'s ErrorLog for this isolate; `tid` is the thread's number (0: main). */
export function openIsolateLog(config: ServerConfig, module: string, tid = 0): IsolateLog {
  const sink = openConfiguredLog(config, "ErrorLog", { target: config.errorLog });
  const logger = createErrorLog({
    level: config.logLevel,
    format: config.errorLogFormat,
    sink,
    tid,
  }).withModule(module);
  return { logger, close: async () => await sink.close() };
}

/**
 * Sends `console.log` and friends to stderr: a child's stdout is its message pipe to the
 * parent, and a stray line there would corrupt it.
 */
export function keepStdoutForMessages(): void {
  // Through globalThis: this is the one place that may touch the console.
  const { console: terminal } = globalThis;
  const toStderr = (...data: unknown[]) => terminal.error(...data);
  terminal.log = toStderr;
  terminal.info = toStderr;
  terminal.debug = toStderr;
}
