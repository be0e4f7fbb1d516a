/**
 * One request/response exchange of the native engine, from the request's arrival to its
 * last byte: the engine request modules read, the counts of body bytes each way, and, once
 * over, the access record the logs and the scoreboard read. One object per request, whose
 * header fields are copied once, as the answer goes out (Deno gives them no later).
 *
 * @module
 */

import {
  type BodyCount,
  type NativeRequestContext,
  type NativeServerRequest,
  nativeServerRequest,
} from "./native_request.ts";
import type { SentBody } from "./native_response.ts";
import {
  type AccessRecord,
  type Endpoint,
  escapeLogItem,
  type Logger,
  type TlsRecord,
} from "../log/mod.ts";
import {
  failureResponse,
  type ResponseHeaders,
  type ServerNameOf,
  type ServerResponse,
} from "../http/mod.ts";

const NO_RESPONSE: ServerResponse = { status: 500, headers: [], body: null };

/** An exchange in progress, and its access record once {@link finished}. */
export class NativeExchange implements AccessRecord {
  readonly request: NativeServerRequest;
  readonly remote: Endpoint;
  readonly local: Endpoint;
  readonly startedAt: number;
  readonly requestLine: string;
  readonly serverName: string;
  readonly protocol: string;
  readonly tls: TlsRecord | null;
  readonly keepAliveRequests = 0;
  /** Body bytes the handler read. */
  readonly received: BodyCount = { bytes: 0 };
  /** Body bytes sent. */
  readonly sent: SentBody = { bytes: 0 };
  durationUs = 0;
  status = 0;
  connectionStatus: AccessRecord["connectionStatus"] = "+";
  private response: ServerResponse = NO_RESPONSE;
  private readonly startedMs = performance.now();

  constructor(
    request: Request,
    context: NativeRequestContext & { readonly serverNameOf: ServerNameOf },
  ) {
    this.remote = context.remote;
    this.local = context.local;
    this.protocol = context.version;
    this.tls = context.tls;
    this.request = nativeServerRequest(request, context, this.received);
    this.startedAt = this.request.receivedAt;
    this.requestLine = `${request.method} ${this.request.target} ${context.version}`;
    this.serverName = context.serverNameOf(this.local, this.request.host);
  }

  get method(): string {
    return this.request.method;
  }

  get path(): string {
    return this.request.path;
  }

  get query(): string {
    return this.request.query;
  }

  get requestHeaders(): ReadonlyMap<string, string> {
    return this.request.headers;
  }

  get responseHeaders(): ResponseHeaders {
    return this.response.headers;
  }

  get bodyBytes(): number {
    return this.sent.bytes ?? 0;
  }

  get receivedBytes(): number {
    return this.received.bytes;
  }

  get sentBytes(): number {
    return this.sent.bytes ?? 0;
  }

  /** The answer to a handler that threw (logged as mpmd's engine logs it). */
  failed(error: unknown, logger: Logger): ServerResponse {
    return failureResponse(error, {
      request: `${this.request.method} ${escapeLogItem(this.request.target)}`,
      peer: this.remote.hostname,
      logger,
    });
  }

  /** The answer is on its way: `closing` if it asked the client to close. */
  answered(response: ServerResponse, status: number, closing: boolean): void {
    // Read now, while Deno still holds the request: the logs read the fields once the answer
    // is out, and Deno refuses ("Request closed") to give them after that.
    void this.request.headers;
    this.response = response;
    this.status = status;
    this.connectionStatus = closing ? "-" : "+";
  }

  /** The last byte went out, or the client went away first. */
  finished(end: "done" | "aborted"): void {
    this.durationUs = Math.round((performance.now() - this.startedMs) * 1000);
    if (end === "aborted") this.connectionStatus = "X";
  }
}
