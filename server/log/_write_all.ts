/**
 * Loops around `write`/`writeSync`, which may write only part of what they are given.
 *
 * @module
 */

import type { LogWriter } from "./buffered_sink.ts";

/** Writes every byte of `data`. */
export async function writeAll(writer: LogWriter, data: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < data.length) offset += await writer.write(data.subarray(offset));
}

/** Writes every byte of `data` synchronously. */
export function writeAllSync(writer: Pick<LogWriter, "writeSync">, data: Uint8Array): void {
  let offset = 0;
  while (offset < data.length) offset += writer.writeSync(data.subarray(offset));
}
