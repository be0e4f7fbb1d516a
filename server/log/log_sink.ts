/**
 * Where log lines go: the {@link LogSink} contract, the unbuffered stderr sink and an
 * in-memory sink for tests. Buffered sinks (files, stdout) are in `buffered_sink.ts`.
 *
 * @module
 */

import { writeAllSync } from "./_write_all.ts";

/** A destination for log lines. `write()` never throws and never waits on I/O. */
export interface LogSink {
  /** Queues one line; `line` carries no trailing newline (the sink adds it). */
  write(line: string): void;
  /** Resolves once every line written so far has reached the destination. */
  flush(): Promise<void> | void;
  /** Flushes, then releases the destination; later writes are dropped. */
  close(): Promise<void> | void;
}

/** A {@link LogSink} that keeps lines in memory, for tests. */
export interface MemorySink extends LogSink {
  /** Every line written, in order. */
  readonly lines: string[];
}

const encoder = new TextEncoder();

/**
 * A sink writing each line to stderr synchronously, unbuffered like C's stderr: error-log
 * entries are rare and the last ones before a crash are the ones that matter.
 */
export function createStderrSink(): LogSink {
  return {
    write(line) {
      try {
        writeAllSync(Deno.stderr, encoder.encode(`${line}\n`));
      } catch {
        // stderr is gone (closed pipe): there is nowhere left to report to.
      }
    },
    flush() {},
    close() {},
  };
}

/** A sink that records lines in {@link MemorySink.lines}. */
export function createMemorySink(): MemorySink {
  const lines: string[] = [];
  let closed = false;
  return {
    lines,
    write(line) {
      if (!closed) lines.push(line);
    },
    flush() {},
    close() {
      closed = true;
    },
  };
}
