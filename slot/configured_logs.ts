/**
 * The logs a configuration names, opened the same way by every engine and by the parent: the
 * error log's and access logs' targets (`stderr`, `stdout` or a file), each host's access logs
 * behind the one hook an engine calls per exchange, and each host's error log. A file several
 * hosts name is opened once.
 *
 * @module
 */

import {
  type AccessLog,
  type AccessRecord,
  type BufferedSinkOptions,
  createAccessLog,
  type ErrorLogger,
  type Logger,
  type LogSink,
  openLogSink,
} from "../server/log/mod.ts";
import {
  ConfigError,
  ConfigErrors,
  type CustomLog,
  type HostConfig,
  type ServerConfig,
} from "../server/config/mod.ts";
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
  const { byHost, all, close: closeLogs } = openHostLogs(config, accessLogs(config, logger));
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

/** Each host's error log, and the way to close the files opened for them. */
export interface HostErrorLogs {
  /**
   * Each host's logger, in `config.hosts` order: the isolate's own for a host that writes the
   * server's ErrorLog at its LogLevel (the main server always does).
   */
  readonly byHost: readonly ErrorLogger[];
  /** Flushes and closes the files opened for virtual hosts' own ErrorLogs. */
  close(): Promise<void>;
}

/**
 * Opens the virtual hosts' own ErrorLogs (the server's, which `logger` writes, is not opened
 * again) and makes each host's logger: `logger`'s format, pid and thread, the host's file and
 * LogLevel.
 *
 * @throws {ConfigErrors} when an error log cannot be opened.
 */
export function openHostErrorLogs(config: ServerConfig, logger: ErrorLogger): HostErrorLogs {
  const { byHost, close } = openHostLogs(config, ownErrorLogs(config));
  return {
    byHost: config.hosts.map((host, index) => {
      const [sink] = byHost[index]!;
      if (sink === undefined && host.logLevel === config.logLevel) return logger;
      return logger.withDestination({ ...(sink !== undefined && { sink }), level: host.logLevel });
    }),
    close,
  };
}

/**
 * Opens and closes every access log and every virtual host's own error log of `config`, so
 * that a parent that writes none itself reports a log it cannot open before any child starts.
 *
 * @throws {ConfigErrors} naming the config file and the log's reason.
 */
export async function checkHostLogs(config: ServerConfig, logger: Logger): Promise<void> {
  await openHostLogs(config, accessLogs(config, logger)).close();
  await openHostLogs(config, ownErrorLogs(config)).close();
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

/**
 * The files `config` logs to: every host's ErrorLog and CustomLogs that are files (the main
 * server's ErrorLog is `hosts[0]`'s).
 */
export function logFilePaths(config: ServerConfig): Set<string> {
  const targets = config.hosts.flatMap((h) => [h.errorLog, ...h.customLogs.map((l) => l.path)]);
  return new Set(targets.filter((target) => target !== "stderr" && target !== "stdout"));
}

/** One kind of log a host writes: the targets it names, and how one is opened and closed. */
interface HostLogKind<Target, Log> {
  /** The targets `host` writes. */
  targetsOf(host: HostConfig): readonly Target[];
  /** Targets with one key are one log. */
  keyOf(target: Target): string;
  /** Opens one; throws {@link ConfigErrors} when it cannot. */
  open(target: Target): Log;
  close(log: Log): Promise<void>;
}

/** Each host's logs of one kind (in `config.hosts` order), every log once, and their closing. */
interface OpenedHostLogs<Log> {
  readonly byHost: readonly (readonly Log[])[];
  readonly all: readonly Log[];
  close(): Promise<void>;
}

/**
 * Opens each target of `kind` once, however many hosts write it (a virtual host without its
 * own writes the main server's), so that their lines share one buffer and never interleave.
 * When one cannot be opened, those already open are closed.
 */
function openHostLogs<Target, Log>(
  config: ServerConfig,
  kind: HostLogKind<Target, Log>,
): OpenedHostLogs<Log> {
  const logs = new Map<string, Log>();
  const close = async () => {
    await Promise.all([...logs.values()].map((log) => kind.close(log)));
  };
  try {
    const byHost = config.hosts.map((host) =>
      kind.targetsOf(host).map((target) => {
        const key = kind.keyOf(target);
        let log = logs.get(key);
        if (log === undefined) {
          log = kind.open(target);
          logs.set(key, log);
        }
        return log;
      })
    );
    return { byHost, all: [...logs.values()], close };
  } catch (error) {
    void close();
    throw error;
  }
}

/** CustomLogs: one per file and format. */
function accessLogs(config: ServerConfig, logger: Logger): HostLogKind<CustomLog, AccessLog> {
  return {
    targetsOf: (host) => host.customLogs,
    keyOf: (log) => `${log.path}\n${log.format}`,
    open(log) {
      const sink = openConfiguredLog(config, "CustomLog", { target: log.path, errorLog: logger });
      return createAccessLog({ format: log.format, sink });
    },
    close: (log) => log.close(),
  };
}

/** The ErrorLogs of virtual hosts that name another than the server's. */
function ownErrorLogs(config: ServerConfig): HostLogKind<string, LogSink> {
  return {
    targetsOf: (host) => host.errorLog === config.errorLog ? [] : [host.errorLog],
    keyOf: (path) => path,
    open: (path) => openConfiguredLog(config, "ErrorLog", { target: path }),
    close: async (sink) => await sink.close(),
  };
}
