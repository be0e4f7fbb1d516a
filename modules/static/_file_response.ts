/**
 * The HTTP semantics of sending one representation: preconditions, Range and If-Range, and
 * the 200 / 206 / 304 / 416 responses with in-memory or streamed bodies.
 *
 * @module
 */

import {
  errorResponse,
  HttpError,
  type ResponseHeaders,
  type ServerRequest,
  type ServerResponse,
} from "../../server/http/mod.ts";
import { evaluatePreconditions, ifRangeMatches } from "./_conditional.ts";
import { type BodyPiece, gatherPieces, multipartLayout, streamPieces } from "./_file_body.ts";
import { type ByteRange, decideRanges } from "./_range.ts";
import type { Representation } from "./_representation.ts";

/**
 * Answers a GET or HEAD for `rep`.
 *
 * @throws {HttpError} 412 when a precondition fails.
 */
export function respondWithRepresentation(
  request: ServerRequest,
  rep: Representation,
): ServerResponse {
  const outcome = evaluatePreconditions({
    method: request.method,
    headers: request.headers,
    validators: rep.validators,
    nowMs: request.receivedAt,
  });
  if (outcome === "not-modified") {
    return { status: 304, headers: rep.notModifiedHeaders.slice(), body: null };
  }
  if (outcome === "precondition-failed") {
    throw new HttpError(412, `Cannot serve ${rep.path}: a precondition failed`, {
      headers: rep.varyHeaders,
    });
  }
  // Range is defined for GET only (RFC 9110 §14.2); If-Range without Range means nothing.
  const range = request.method === "GET" ? request.headers.get("range") : undefined;
  if (range !== undefined) {
    const ifRange = request.headers.get("if-range");
    if (ifRange === undefined || ifRangeMatches(ifRange, rep.validators, request.receivedAt)) {
      const partial = respondWithRanges(rep, range);
      if (partial !== null) return partial;
    }
  }
  return fullResponse(rep);
}

function fullResponse(rep: Representation): ServerResponse {
  if (rep.body !== null) return { status: 200, headers: rep.headers.slice(), body: rep.body };
  const size = rep.stamp.size;
  const headers = rep.headers.slice();
  headers.push(["Content-Length", String(size)]);
  return { status: 200, headers, body: streamPieces(rep.realPath, [{ start: 0, end: size - 1 }]) };
}

// Returns null when the Range field is to be ignored.
function respondWithRanges(rep: Representation, field: string): ServerResponse | null {
  const size = rep.stamp.size;
  const decision = decideRanges(field, size);
  if (decision.kind === "full") return null;
  if (decision.kind === "unsatisfiable") {
    // With the short page that names the status, as httpd's error pages do.
    return errorResponse(416, [["Content-Range", `bytes */${size}`], ...rep.varyHeaders]);
  }
  const [only, ...more] = decision.ranges;
  if (only !== undefined && more.length === 0) {
    const headers = rep.headers.slice();
    headers.push(["Content-Range", `bytes ${only.start}-${only.end}/${size}`]);
    return partialResponse(rep, headers, [only], only.end - only.start + 1);
  }
  // A multipart body cannot say that each part is, say, a slice of Brotli data: ranges of
  // an encoded sibling are honoured one at a time only.
  if (rep.coding !== null) return null;
  return multipartResponse(rep, decision.ranges);
}

function multipartResponse(rep: Representation, ranges: readonly ByteRange[]): ServerResponse {
  const boundary = crypto.randomUUID().replaceAll("-", "");
  const layout = multipartLayout(ranges, rep.stamp.size, rep.contentType, boundary);
  const headers: ResponseHeaders = rep.headers.map(([name, value]) =>
    name === "Content-Type" ? [name, `multipart/byteranges; boundary=${boundary}`] : [name, value]
  );
  return partialResponse(rep, headers, layout.pieces, layout.length);
}

function partialResponse(
  rep: Representation,
  headers: ResponseHeaders,
  pieces: readonly BodyPiece[],
  length: number,
): ServerResponse {
  if (rep.body !== null) {
    const first = pieces[0];
    const body = pieces.length === 1 && first !== undefined && !(first instanceof Uint8Array)
      ? rep.body.subarray(first.start, first.end + 1)
      : gatherPieces(rep.body, { pieces, length });
    return { status: 206, headers, body };
  }
  headers.push(["Content-Length", String(length)]);
  return { status: 206, headers, body: streamPieces(rep.realPath, pieces) };
}
