/**
 * Buffered log sinks: a request only appends a line to memory; the disk is written in
 * batches, at least once a second, whenever the buffer passes a threshold, on `flush()`,
 * `close()` and at process exit.
 *
 * @module
 */

import type { Logger } from "./logger.ts";
import type { LogSink } from "./log_sink.ts";
import { createErrorLog } from "./error_log.ts";
import { writeAll, writeAllSync } from "./_write_all.ts";
import { heldFileWriter, openFailure } from "../../platform/mod.ts";

/** Default {@link BufferedSinkOptions.flushIntervalMs}: at most a second of lines waits in memory. */
export const DEFAULT_FLUSH_INTERVAL_MS = 1000;
/** Default {@link BufferedSinkOptions.maxBufferBytes}. */
export const DEFAULT_MAX_BUFFER_BYTES = 64 * 1024;
/** How many times `maxBufferBytes` may wait for a slow or stuck writer before lines are dropped. */
const PENDING_LIMIT_FACTOR = 16;

/** Settings of a buffered sink. */
export interface BufferedSinkOptions {
  /**
   * Longest time a line waits in memory before it is written.
   * @default DEFAULT_FLUSH_INTERVAL_MS
   */
  flushIntervalMs?: number;
  /**
   * A batch is written as soon as this many characters are buffered.
   * @default DEFAULT_MAX_BUFFER_BYTES
   */
  maxBufferBytes?: number;
  /**
   * Where a failed write is reported: once, then again only after a write has succeeded.
   * @default an error log on stderr
   */
  errorLog?: Logger;
}

/** Something bytes can be written to, asynchronously and synchronously (Deno.FsFile, Deno.stdout). */
export interface LogWriter {
  /** Writes some prefix of `p`, resolving to its length. */
  write(p: Uint8Array): Promise<number>;
  /** Writes some prefix of `p` synchronously, returning its length. */
  writeSync(p: Uint8Array): number;
}

/** What a buffered sink writes to and how it is named in failure reports. */
export interface BufferedSinkTarget {
  /** Receives whole-line batches, one write at a time. */
  readonly writer: LogWriter;
  /** Names the destination in messages, e.g. `log file /var/log/access_log`. */
  readonly description: string;
  /** Releases the writer after the last flush (closing a file). */
  readonly release?: () => void;
}

/**
 * Creates a sink that batches lines in memory and writes them to `target.writer`. Write
 * failures are reported on the error log and the batch is dropped: nothing is thrown into
 * request handling. The flush timer is unref'd, so an idle sink never keeps the process alive.
 */
export function createBufferedSink(
  target: BufferedSinkTarget,
  options: BufferedSinkOptions = {},
): LogSink {
  return new BufferedSink(target, {
    flushIntervalMs: options.flushIntervalMs ?? DEFAULT_FLUSH_INTERVAL_MS,
    maxBufferBytes: options.maxBufferBytes ?? DEFAULT_MAX_BUFFER_BYTES,
    errorLog: options.errorLog ?? null,
  });
}

/**
 * Opens `path` for appending (creating it if missing) and returns a buffered sink on it.
 * O_APPEND plus whole-line batches keep lines intact when several processes share one file.
 *
 * @throws {Error} `Cannot open log file <path>: <reason>` when the file cannot be opened.
 */
export function createFileSink(path: string, options: BufferedSinkOptions = {}): LogSink {
  // Opened before this process gave up root: written by that descriptor, which stays open.
  const held = heldFileWriter(path);
  if (held !== null) {
    return createBufferedSink({ writer: held, description: `log file ${path}` }, options);
  }
  let file: Deno.FsFile;
  try {
    file = Deno.openSync(path, { append: true, create: true });
  } catch (error) {
    throw new Error(`Cannot open log file ${path}: ${openFailure(error, path)}`, { cause: error });
  }
  return createBufferedSink(
    { writer: file, description: `log file ${path}`, release: () => file.close() },
    options,
  );
}

/** A buffered sink on the process's stdout (left open on close). */
export function createStdoutSink(options: BufferedSinkOptions = {}): LogSink {
  return createBufferedSink({ writer: Deno.stdout, description: "stdout" }, options);
}

interface BufferedSinkConfig {
  readonly flushIntervalMs: number;
  readonly maxBufferBytes: number;
  readonly errorLog: Logger | null;
}

interface Batch {
  readonly data: Uint8Array;
  readonly chars: number;
}

const encoder = new TextEncoder();

class BufferedSink implements LogSink {
  readonly #target: BufferedSinkTarget;
  readonly #config: BufferedSinkConfig;
  readonly #timer: ReturnType<typeof setInterval>;
  #lines: string[] = [];
  #bufferedChars = 0;
  /** Characters buffered, queued or being written: bounded so a stuck disk cannot exhaust memory. */
  #pendingChars = 0;
  /** Taken batches whose write has not started yet (the exit handler writes them synchronously). */
  #queue: Batch[] = [];
  /** Settles when every batch queued so far has been written or dropped; never rejects. */
  #tail: Promise<void> = Promise.resolve();
  #closing: Promise<void> | null = null;
  #reportedWriteFailure = false;
  #reportedOverflow = false;
  readonly #onUnload = (): void => this.#flushSync();

  constructor(target: BufferedSinkTarget, config: BufferedSinkConfig) {
    this.#target = target;
    this.#config = config;
    this.#timer = setInterval(() => void this.flush(), config.flushIntervalMs);
    Deno.unrefTimer(this.#timer);
    // "unload" also fires on Deno.exit(); listeners must be synchronous, hence #flushSync.
    globalThis.addEventListener("unload", this.#onUnload);
  }

  write(line: string): void {
    if (this.#closing !== null) return;
    if (this.#pendingChars >= this.#config.maxBufferBytes * PENDING_LIMIT_FACTOR) {
      this.#reportOverflow();
      return;
    }
    this.#lines.push(line);
    this.#bufferedChars += line.length + 1;
    this.#pendingChars += line.length + 1;
    if (this.#bufferedChars >= this.#config.maxBufferBytes) void this.flush();
  }

  flush(): Promise<void> {
    const batch = this.#take();
    if (batch !== null) {
      this.#queue.push(batch);
      this.#tail = this.#tail.then(() => this.#writeNext());
    }
    return this.#tail;
  }

  close(): Promise<void> {
    this.#closing ??= (async () => {
      clearInterval(this.#timer);
      globalThis.removeEventListener("unload", this.#onUnload);
      await this.flush();
      this.#target.release?.();
    })();
    return this.#closing;
  }

  #take(): Batch | null {
    if (this.#lines.length === 0) return null;
    const text = `${this.#lines.join("\n")}\n`;
    this.#lines = [];
    this.#bufferedChars = 0;
    return { data: encoder.encode(text), chars: text.length };
  }

  async #writeNext(): Promise<void> {
    // The exit handler may already have written it.
    const batch = this.#queue.shift();
    if (batch === undefined) return;
    try {
      await writeAll(this.#target.writer, batch.data);
      this.#reportedWriteFailure = false;
      this.#reportedOverflow = false;
    } catch (error) {
      this.#reportWriteFailure(error);
    } finally {
      this.#pendingChars -= batch.chars;
    }
  }

  /** Writes what is still in memory at exit; a batch already being written is left to finish. */
  #flushSync(): void {
    const last = this.#take();
    if (last !== null) this.#queue.push(last);
    try {
      for (const batch of this.#queue) writeAllSync(this.#target.writer, batch.data);
    } catch (error) {
      this.#reportWriteFailure(error);
    }
    this.#queue = [];
  }

  #reportWriteFailure(error: unknown): void {
    if (this.#reportedWriteFailure) return;
    this.#reportedWriteFailure = true;
    this.#errorLog().error(
      `Cannot write ${this.#target.description}: lines are dropped until a write succeeds`,
      error,
    );
  }

  #reportOverflow(): void {
    if (this.#reportedOverflow) return;
    this.#reportedOverflow = true;
    const limit = this.#config.maxBufferBytes * PENDING_LIMIT_FACTOR;
    this.#errorLog().error(
      `Cannot buffer ${this.#target.description}: ${limit} characters are waiting for a slow ` +
        "or stuck write; lines are dropped until it catches up",
    );
  }

  #errorLog(): Logger {
    return this.#config.errorLog ?? createErrorLog({ level: "warn", module: "log_config" });
  }
}
