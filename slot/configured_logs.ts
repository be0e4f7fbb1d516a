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

/** Each host's access logs behind one exchange hook. */
export interface AccessLogging {
  /** Writes the record to its host's logs, then calls the caller's hook; absent if neither. */
  readonly onExchange?: (record: AccessRecord) => void;
  /** Flushes and closes the access logs. */
  closeLogs(): Promise<void>;
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
  then?: (record: AccessRecord) => void,
): AccessLogging {
  const accessLogs = openAccessLogs(config, logger);
  const closeLogs = () => closeAll(accessLogs);
  if (accessLogs.size === 0) {
    return then === undefined ? { closeLogs } : { onExchange: then, closeLogs };
  }
  const [defaultHost] = config.hosts;
  const logsOf = (record: AccessRecord) =>
    accessLogs.get(record.serverName) ?? accessLogs.get(defaultHost.serverName) ?? [];
  return {
    onExchange(record) {
      for (const log of logsOf(record)) log.write(record);
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
  await closeAll(openAccessLogs(config, logger));
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

function openAccessLogs(config: ServerConfig, logger: Logger): Map<string, AccessLog[]> {
  const byHost = new Map<string, AccessLog[]>();
  try {
    for (const host of config.hosts) {
      if (host.customLogs.length === 0 || byHost.has(host.serverName)) continue;
      const logs: AccessLog[] = [];
      byHost.set(host.serverName, logs);
      for (const log of host.customLogs) {
        const sink = openConfiguredLog(config, "CustomLog", { target: log.path, errorLog: logger });
        logs.push(createAccessLog({ format: log.format, sink }));
      }
    }
  } catch (error) {
    void closeAll(byHost);
    throw error;
  }
  return byHost;
}

async function closeAll(accessLogs: Map<string, AccessLog[]>): Promise<void> {
  await Promise.all([...accessLogs.values()].flat().map((log) => log.close()));
}
