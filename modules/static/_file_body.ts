/**
 * Response bodies made of pieces of a file: in-memory slices, or chunks streamed from disk
 * without loading the file, and the multipart/byteranges layout (RFC 9110 §14.6).
 *
 * @module
 */

import type { ByteRange } from "./_range.ts";

/** Size of each read when streaming from disk. */
export const STREAM_CHUNK_BYTES = 64 * 1024;

/** Literal bytes (multipart delimiters) or an inclusive range of the file's content. */
export type BodyPiece = Uint8Array | ByteRange;

/** A body as pieces plus its total length in bytes. */
export interface PieceLayout {
  readonly pieces: readonly BodyPiece[];
  readonly length: number;
}

const encoder = new TextEncoder();

/**
 * Lays out a multipart/byteranges body: each range preceded by its delimiter and its
 * Content-Type and Content-Range fields, then the closing delimiter.
 *
 * @param size Length of the whole content, for Content-Range.
 * @param contentType The representation's Content-Type, repeated in every part.
 * @param boundary A string that does not occur in the content.
 */
export function multipartLayout(
  ranges: readonly ByteRange[],
  size: number,
  contentType: string,
  boundary: string,
): PieceLayout {
  const pieces: BodyPiece[] = [];
  let length = 0;
  ranges.forEach((r, i) => {
    const head = encoder.encode(
      `${i === 0 ? "" : "\r\n"}--${boundary}\r\nContent-Type: ${contentType}\r\n` +
        `Content-Range: bytes ${r.start}-${r.end}/${size}\r\n\r\n`,
    );
    pieces.push(head, r);
    length += head.length + r.end - r.start + 1;
  });
  const tail = encoder.encode(`\r\n--${boundary}--\r\n`);
  pieces.push(tail);
  return { pieces, length: length + tail.length };
}

/** Copies the pieces of an in-memory file into one buffer of `layout.length` bytes. */
export function gatherPieces(content: Uint8Array, layout: PieceLayout): Uint8Array {
  const out = new Uint8Array(layout.length);
  let at = 0;
  for (const piece of layout.pieces) {
    const bytes = piece instanceof Uint8Array
      ? piece
      : content.subarray(piece.start, piece.end + 1);
    out.set(bytes, at);
    at += bytes.length;
  }
  return out;
}

/**
 * Streams the pieces of the file at `realPath`, reading ranges in chunks of
 * {@link STREAM_CHUNK_BYTES}. Lazy: the file is opened on the first `next()`, so a body that
 * is never read (HEAD, a client gone early) opens nothing; it is closed when the stream ends,
 * fails, or is abandoned through `return()`.
 *
 * @throws {Error} During iteration, if the file got shorter than a range needs: the promised
 *   length can no longer be kept, and the engine must abort the response.
 */
export async function* streamPieces(
  realPath: string,
  pieces: readonly BodyPiece[],
): AsyncGenerator<Uint8Array, void, undefined> {
  const file = await Deno.open(realPath, { read: true });
  try {
    for (const piece of pieces) {
      if (piece instanceof Uint8Array) {
        yield piece;
        continue;
      }
      await file.seek(piece.start, Deno.SeekMode.Start);
      let remaining = piece.end - piece.start + 1;
      while (remaining > 0) {
        // A fresh buffer per chunk: the engine may still hold the previous one while writing.
        const chunk = new Uint8Array(Math.min(STREAM_CHUNK_BYTES, remaining));
        const n = await file.read(chunk);
        if (n === null) {
          throw new Error(`Cannot stream ${realPath}: the file shrank while it was being sent`);
        }
        remaining -= n;
        yield n === chunk.length ? chunk : chunk.subarray(0, n);
      }
    }
  } finally {
    file.close();
  }
}
