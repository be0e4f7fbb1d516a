/**
 * Builds the {@link AccessRecord} of one exchange. The response fields are only split out
 * of the serialised head if a log format asks for them.
 *
 * @module
 */

import type { ResponseHeaders } from "./server_response.ts";
import type { AccessRecord, Endpoint, TlsRecord } from "../log/mod.ts";

/** What the connection knows at the end of an exchange: the record, with the head still whole. */
export type ExchangeFacts = Omit<AccessRecord, "responseHeaders"> & {
  /** The serialised response head (status line, fields, empty line). */
  readonly head: string;
};

/** Splits a serialised head into its fields. */
export function fieldsOfHead(head: string): ResponseHeaders {
  const fields: ResponseHeaders = [];
  const lines = head.split("\r\n");
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    const colon = line.indexOf(":");
    if (colon > 0) fields.push([line.slice(0, colon), line.slice(colon + 1).trim()]);
  }
  return fields;
}

/**
 * The access record of an exchange. A class rather than an object literal with a getter:
 * `responseHeaders` is computed on first use, and the instances share one shape, which keeps
 * building a record per request cheap.
 */
export class ExchangeRecord implements AccessRecord {
  readonly remote: Endpoint;
  readonly local: Endpoint;
  readonly startedAt: number;
  readonly durationUs: number;
  readonly requestLine: string;
  readonly method: string;
  readonly path: string;
  readonly query: string;
  readonly protocol: string;
  readonly requestHeaders: ReadonlyMap<string, string>;
  readonly status: number;
  readonly bodyBytes: number;
  readonly receivedBytes: number;
  readonly sentBytes: number;
  readonly keepAliveRequests: number;
  readonly connectionStatus: "+" | "-" | "X";
  readonly serverName: string;
  readonly tls: TlsRecord | null;
  readonly #head: string;
  #responseHeaders: ResponseHeaders | null = null;

  constructor(facts: ExchangeFacts) {
    this.remote = facts.remote;
    this.local = facts.local;
    this.startedAt = facts.startedAt;
    this.durationUs = facts.durationUs;
    this.requestLine = facts.requestLine;
    this.method = facts.method;
    this.path = facts.path;
    this.query = facts.query;
    this.protocol = facts.protocol;
    this.requestHeaders = facts.requestHeaders;
    this.status = facts.status;
    this.bodyBytes = facts.bodyBytes;
    this.receivedBytes = facts.receivedBytes;
    this.sentBytes = facts.sentBytes;
    this.keepAliveRequests = facts.keepAliveRequests;
    this.connectionStatus = facts.connectionStatus;
    this.serverName = facts.serverName;
    this.tls = facts.tls;
    this.#head = facts.head;
  }

  /** The response's fields as sent, split out of the serialised head on first use. */
  get responseHeaders(): ResponseHeaders {
    return this.#responseHeaders ??= fieldsOfHead(this.#head);
  }
}
