/**
 * mod_deflate and mod_brotli as one output filter around a host's answers: bodies held in
 * memory are encoded once and the result kept with them (a static file's cached bytes are
 * compressed once per version and coding), streamed bodies (apps, proxied answers) are encoded
 * as they flow.
 *
 * @module
 */

import type { CompressionConfig, HostConfig } from "../../server/config/mod.ts";
import {
  errorResponse,
  type FieldsResponse,
  fromResponse,
  type Handler,
  type ResponseBody,
  type ServerRequest,
  type ServerResponse,
} from "../../server/http/mod.ts";
import type { Logger } from "../../server/log/mod.ts";
import { withFailuresLoggedTo } from "../_answer.ts";
import type { ContentCoding } from "../_content_coding.ts";
import { encodeBytes, type EncoderSettings, encodeStream } from "./_encoders.ts";
import { planCompression, withUnsuffixedTags } from "./compression_plan.ts";

/**
 * The encodings made of bodies held in memory, kept as long as the body itself is: the static
 * module's cache owns a file's bytes (and bounds them), so their encodings live and go with
 * them; a body built for one answer takes its encodings with it when it is collected. Pending
 * encodings are shared, so that a burst of first requests compresses a file once.
 */
class EncodedBodies {
  readonly #encoded = new WeakMap<Uint8Array, Map<ContentCoding, Promise<Uint8Array>>>();
  readonly #done = new WeakMap<Promise<Uint8Array>, Uint8Array>();
  readonly #settings: EncoderSettings;

  constructor(settings: EncoderSettings) {
    this.#settings = settings;
  }

  /** `bytes` in `coding`: the bytes themselves once made, else the promise of them. */
  get(bytes: Uint8Array, coding: ContentCoding): Uint8Array | Promise<Uint8Array> {
    let codings = this.#encoded.get(bytes);
    if (codings === undefined) this.#encoded.set(bytes, codings = new Map());
    const made = codings.get(coding);
    if (made !== undefined) return this.#done.get(made) ?? made;
    const making = encodeBytes(bytes, coding, this.#settings);
    codings.set(coding, making);
    making.then(
      (encoded) => this.#done.set(making, encoded),
      // A failed encoding is tried again by the next request.
      () => codings.delete(coding),
    );
    return making;
  }
}

/** Options of {@link withCompression}. */
export interface CompressionOptions {
  /** Where a module's crash is logged when the filter turns it into its 500 page. */
  readonly logger: Logger;
}

/**
 * `handler` with the host's compression filters (AddOutputFilterByType, SetOutputFilter) on
 * its answers, error pages included (a failure becomes its page here, as with Header lines);
 * `handler` itself when the host has none. What it does to an answer is
 * {@link planCompression}'s decision. An answer that passes untouched keeps its form (a
 * `Response` for Deno's native engine stays one).
 */
export function withCompression(
  handler: Handler,
  host: Pick<HostConfig, "compression">,
  options: CompressionOptions,
): Handler {
  const config = host.compression;
  if (config.byType.length === 0 && config.always.length === 0) return handler;
  const answer = withFailuresLoggedTo(handler, options.logger);
  const encoded = new EncodedBodies(config);
  const finish = (request: ServerRequest, sent: ServerRequest, answered: ServerResponse | null) => {
    // No module answered: the engine's 404 page, made here so that it is filtered too.
    const response = answered ?? errorResponse(404);
    const plan = planCompression({
      method: request.method,
      requestHeaders: request.headers,
      status: response.status,
      headers: response.headers,
      bodyBytes: bodyBytes(request, response),
      revalidatesEncoded: request !== sent,
      config,
    });
    if (plan.kind === "untouched") return response;
    const fields = response.web === undefined ? response : fromResponse(response.web);
    const { headers, coding } = plan;
    if (coding === null) return { ...fields, headers };
    return encodedResponse(request, fields, headers, coding);
  };
  const encodedResponse = (
    request: ServerRequest,
    fields: FieldsResponse,
    headers: [string, string][],
    coding: ContentCoding,
  ): ServerResponse | Promise<ServerResponse> => {
    const body = fields.body;
    // A body held in memory with a validator is the same bytes every time: encode it once.
    if (body instanceof Uint8Array) {
      const bytes = hasETag(fields) ? encoded.get(body, coding) : encodeBytes(body, coding, config);
      return bytes instanceof Uint8Array
        ? { ...fields, headers, body: bytes }
        : bytes.then((made) => ({ ...fields, headers, body: made }));
    }
    // HEAD: the engine sends no body, and the length of the encoded one is not known.
    const stream: ResponseBody = body === null || request.method === "HEAD"
      ? body
      : encodeStream(body, coding, config);
    return { ...fields, headers, body: stream };
  };
  return (sent) => {
    const request = revalidating(sent, config);
    const result = answer(request);
    return result instanceof Promise
      ? result.then((response) => finish(request, sent, response))
      : finish(request, sent, result);
  };
}

/** The length of the body when known: bytes held, or a declared Content-Length. */
function bodyBytes(request: ServerRequest, response: ServerResponse): number | null {
  const body = response.body;
  if (body instanceof Uint8Array) return body.length;
  for (const [name, value] of response.headers) {
    if (name.toLowerCase() === "content-length") return Number(value);
  }
  // No body and no length: nothing to send, unless the body is left out (HEAD, 304).
  if (response.web === undefined && body === null) {
    return request.method === "HEAD" || response.status === 304 ? null : 0;
  }
  return null;
}

function hasETag(response: FieldsResponse): boolean {
  return response.headers.some(([name]) => name.toLowerCase() === "etag");
}

/**
 * The request with its If-None-Match also naming, beside each tag the filters suffixed, the
 * tag without the suffix (see `withUnsuffixedTags`); the request itself when nothing changes.
 */
function revalidating(request: ServerRequest, config: CompressionConfig): ServerRequest {
  const ifNoneMatch = request.headers.get("if-none-match");
  if (ifNoneMatch === undefined) return request;
  const widened = withUnsuffixedTags(ifNoneMatch, config);
  if (widened === null) return request;
  const headers = new Map(request.headers);
  headers.set("if-none-match", widened);
  // A view over the request (its prototype); an app is then given a Request made from these
  // fields rather than the one Deno's server read.
  return Object.create(request, {
    headers: { value: headers },
    web: { value: undefined },
  }) as ServerRequest;
}
