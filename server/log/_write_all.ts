/**
 * Loops around `write`/`writeSync`, which may write only part of what they are given.
 *
 * @module
 */

/** Something bytes can be written to, asynchronously and synchronously (Deno.FsFile, Deno.stdout). */
export interface LogWriter {
  /** Writes some prefix of `p`, resolving to its length. */
  write(p: Uint8Array): Promise<number>;
  /** Writes some prefix of `p` synchronously, returning its length. */
  writeSync(p: Uint8Array): number;
}

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
