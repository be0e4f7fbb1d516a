/**
 * Starts the HTTP engine on 127.0.0.1:0 inside the test process, with a logger and an
 * access-record hook that collect into arrays, and shuts it down on dispose.
 *
 * @module
 */

import {
  type AccessRecord,
  LOG_LEVELS,
  type Logger,
  type LogLevel,
} from "../../../server/log/mod.ts";
import {
  createHttpEngine,
  type Handler,
  type HttpEngine,
  type HttpEngineOptions,
} from "../../../server/http/mod.ts";

/** One collected error-log entry. */
export interface LogEntry {
  readonly level: LogLevel;
  readonly message: string;
  readonly cause?: unknown;
}

/** A logger that keeps every entry (all levels enabled). */
export function collectingLogger(entries: LogEntry[]): Logger {
  const logger: Logger = {
    level: "trace8",
    enabled: () => true,
    log: (level, message, cause) => {
      entries.push(cause === undefined ? { level, message } : { level, message, cause });
    },
    error: (message, cause) => logger.log("error", message, cause),
    warn: (message) => logger.log("warn", message),
    notice: (message) => logger.log("notice", message),
    info: (message) => logger.log("info", message),
    debug: (message) => logger.log("debug", message),
    withModule: () => logger,
  };
  return logger;
}

/** Polls `condition` every few ms until it holds; throws after `deadlineMs`. */
export async function until(
  condition: () => boolean,
  what: string,
  deadlineMs = 5_000,
): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Still not ${what} after ${deadlineMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** An engine serving on a loopback port. */
export interface TestEngine extends AsyncDisposable {
  readonly engine: HttpEngine;
  readonly port: number;
  readonly logs: LogEntry[];
  readonly records: AccessRecord[];
  /** Entries at `error` level or more severe. */
  errors(): LogEntry[];
  /** Resolves once `count` access records exist (or rejects after the deadline). */
  waitForRecords(count: number, deadlineMs?: number): Promise<AccessRecord[]>;
}

/** Starts an engine with `handler` and the given settings (an `onExchange` runs after collecting). */
export function startEngine(
  handler: Handler,
  options: Omit<Partial<HttpEngineOptions>, "handler" | "logger"> = {},
): TestEngine {
  const logs: LogEntry[] = [];
  const records: AccessRecord[] = [];
  const waiters: Array<() => void> = [];
  const engine = createHttpEngine({
    ...options,
    handler,
    logger: collectingLogger(logs),
    onExchange: (record) => {
      records.push(record);
      for (const wake of waiters.splice(0)) wake();
      options.onExchange?.(record);
    },
  });
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const serving = engine.serve(listener);
  const errorRank = LOG_LEVELS.indexOf("error");
  return {
    engine,
    port: listener.addr.port,
    logs,
    records,
    errors: () => logs.filter((e) => LOG_LEVELS.indexOf(e.level) <= errorRank),
    async waitForRecords(count, deadlineMs = 5_000) {
      const deadline = Date.now() + deadlineMs;
      while (records.length < count) {
        const remaining = deadline - Date.now();
        if (remaining <= 0) throw new Error(`Only ${records.length} of ${count} access records`);
        let timer: ReturnType<typeof setTimeout> | undefined;
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          timer = setTimeout(resolve, remaining);
        });
        clearTimeout(timer);
      }
      return records;
    },
    async [Symbol.asyncDispose]() {
      await engine.shutdown({ graceMs: 0 });
      await serving;
    },
  };
}
