/**
 * The logs a configuration names, opened the same way by every engine and by the parent: the
 * error log's and access logs' targets (`stderr`, `stdout` or a file), and each host's access
 * logs behind the one hook an engine calls per exchange.
 *
 * @module
 */

import {
  type AccessLog,
  type AccessRecord,
  type BufferedSinkOptions,
  createAccessLog,
  type Logger,
  type LogSink,
  openLogSink,
} from "../server/log/mod.ts";
import { ConfigError, ConfigErrors, type ServerConfig } from "../server/config/mod.ts";
import { describeError } from "../base/mod.ts";
import type { VirtualHostTable } from "./virtual_hosts.ts";

/** Each host's access logs behind one exchange hook. */
export interface AccessLogging {
  /** Writes the record to its host's logs, then calls the caller's hook; absent if neither. */
  readonly onExchange?: (record: AccessRecord) => void;
  /** Flushes and closes the access logs. */
  closeLogs(): Promise<void>;
}

/** Options of {@link openAccessLogging}. */
export interface AccessLoggingOptions {
  /** Chooses the host whose logs a record goes to. */
  readonly hosts: VirtualHostTable;
  /** Called after the logs are written (the scoreboard). */
  readonly then?: (record: AccessRecord) => void;
}

/**
 * Opens every host's access logs and makes the hook an engine calls once per exchange: the
 * record goes to the logs of the host that answered, then to `then` (the scoreboard).
 *
 * @throws {ConfigErrors} when an access log cannot be opened.
 */
export function openAccessLogging(
  config: ServerConfig,
  logger: Logger,
  options: AccessLoggingOptions,
): AccessLogging {
  const { hosts, then } = options;
  const { byHost, all } = openAccessLogs(config, logger);
  const closeLogs = () => closeAll(all);
  if (all.length === 0) {
    return then === undefined ? { closeLogs } : { onExchange: then, closeLogs };
  }
  return {
    onExchange(record) {
      const host = hosts.select(record.local, record.requestHeaders.get("host") ?? "");
      for (const log of byHost[host]!) log.write(record);
      then?.(record);
    },
    closeLogs,
  };
}

/**
 * Opens and closes every access log of `config`, so that a parent that writes none itself
 * reports a log it cannot open before any child starts.
 *
 * @throws {ConfigErrors} naming the config file and the log's reason.
 */
export async function checkAccessLogs(config: ServerConfig, logger: Logger): Promise<void> {
  await closeAll(openAccessLogs(config, logger).all);
}

/**
 * Opens a log target the configuration names (ErrorLog, or a CustomLog's path): `stderr`,
 * `stdout` or a file, as `openLogSink()` does.
 *
 * @throws {ConfigErrors} naming the config file and the reason when a file cannot be opened
 *   (a missing directory, no permission), so that `main.ts` reports it like a bad directive.
 */
export function openConfiguredLog(
  config: ServerConfig,
  directive: "ErrorLog" | "CustomLog",
  options: BufferedSinkOptions & { readonly target: string },
): LogSink {
  const { target, ...sinkOptions } = options;
  try {
    return openLogSink(target, sinkOptions);
  } catch (error) {
    // openLogSink() throws only "Cannot open log file <path>: <reason>".
    const detail = describeError(error);
    const at = { file: config.file ?? "embedded default", line: null, column: null };
    throw new ConfigErrors([new ConfigError({ at, directive, detail, cause: error })]);
  }
}

/** The files `config` logs to: its ErrorLog and every host's CustomLogs that are files. */
export function logFilePaths(config: ServerConfig): Set<string> {
  const targets = [
    config.errorLog,
    ...config.hosts.flatMap((h) => h.customLogs.map((l) => l.path)),
  ];
  return new Set(targets.filter((target) => target !== "stderr" && target !== "stdout"));
}

/** Each host's access logs (in `config.hosts` order), and every log once. */
interface OpenedAccessLogs {
  readonly byHost: readonly (readonly AccessLog[])[];
  readonly all: readonly AccessLog[];
}

/**
 * Opens each CustomLog once, however many hosts write it (a virtual host without CustomLog
 * writes the main server's), so that their lines share one buffer and never interleave.
 */
function openAccessLogs(config: ServerConfig, logger: Logger): OpenedAccessLogs {
  const logs = new Map<string, AccessLog>();
  try {
    const byHost = config.hosts.map((host) =>
      host.customLogs.map((log) => {
        const key = `${log.path}\n${log.format}`;
        let accessLog = logs.get(key);
        if (accessLog === undefined) {
          const sink = openConfiguredLog(config, "CustomLog", {
            target: log.path,
            errorLog: logger,
          });
          accessLog = createAccessLog({ format: log.format, sink });
          logs.set(key, accessLog);
        }
        return accessLog;
      })
    );
    return { byHost, all: [...logs.values()] };
  } catch (error) {
    void closeAll([...logs.values()]);
    throw error;
  }
}

async function closeAll(accessLogs: readonly AccessLog[]): Promise<void> {
  await Promise.all(accessLogs.map((log) => log.close()));
}
