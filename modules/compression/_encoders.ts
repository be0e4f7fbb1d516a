/**
 * gzip and br encoders over `node:zlib`: whole bodies in zlib's thread pool, streamed bodies
 * through a zlib stream that flushes after every chunk. `node:zlib` rather than the built-in
 * `CompressionStream`, which flushes per chunk too but takes no compression level.
 *
 * @module
 */

import { brotliCompress, constants, createBrotliCompress, createGzip, gzip } from "node:zlib";
import { pipeline, Readable, type Transform } from "node:stream";
import type { ContentCoding } from "../_content_coding.ts";

/** How hard each coding works. */
export interface EncoderSettings {
  /** DeflateCompressionLevel (1–9). */
  readonly deflateLevel: number;
  /** BrotliCompressionQuality (0–11). */
  readonly brotliQuality: number;
}

/** `bytes` encoded in `coding`, computed off the isolate's thread. */
export function encodeBytes(
  bytes: Uint8Array,
  coding: ContentCoding,
  settings: EncoderSettings,
): Promise<Uint8Array> {
  const { promise, resolve, reject } = Promise.withResolvers<Uint8Array>();
  const done = (error: Error | null, result: Uint8Array) => error ? reject(error) : resolve(result);
  if (coding === "gzip") gzip(bytes, { level: settings.deflateLevel }, done);
  else brotliCompress(bytes, { params: brotliParams(settings, bytes.length) }, done);
  return promise;
}

/**
 * `source` encoded in `coding` as it arrives: each chunk of the source is flushed through
 * (zlib's Z_SYNC_FLUSH, brotli's FLUSH operation), so a server-sent event reaches the client
 * when the application writes it, as mod_deflate does on an application's flush. Back-pressure
 * holds: the source is read only as fast as the output is taken. Stopping early (the client
 * left) ends the source too; a failing source fails the output.
 */
export async function* encodeStream(
  source: AsyncIterable<Uint8Array>,
  coding: ContentCoding,
  settings: EncoderSettings,
): AsyncGenerator<Uint8Array> {
  const encoder: Transform = coding === "gzip"
    ? createGzip({ level: settings.deflateLevel, flush: constants.Z_SYNC_FLUSH })
    : createBrotliCompress({
      flush: constants.BROTLI_OPERATION_FLUSH,
      params: brotliParams(settings, null),
    });
  // The callback only keeps an error from going unhandled: the iteration below sees it.
  const output = pipeline(Readable.from(source), encoder, () => {});
  for await (const chunk of output) yield chunk as Uint8Array;
}

function brotliParams(settings: EncoderSettings, sizeHint: number | null): Record<number, number> {
  return {
    [constants.BROTLI_PARAM_QUALITY]: settings.brotliQuality,
    ...(sizeHint === null ? {} : { [constants.BROTLI_PARAM_SIZE_HINT]: sizeHint }),
  };
}
