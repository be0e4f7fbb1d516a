/**
 * Whether a connection may carry another request after the current response, and the
 * `Keep-Alive` value that announces it (httpd's `ap_set_keepalive`), as pure functions.
 *
 * @module
 */

import type { EngineSettings } from "./engine_options.ts";

/** An unread request body up to this size is read away to keep the connection. */
export const DRAIN_MAX_BYTES = 64 * 1024;

/** The keep-alive settings. */
export type KeepAliveSettings = Pick<
  EngineSettings,
  "keepAlive" | "keepAliveTimeoutMs" | "maxKeepAliveRequests"
>;

/** What is known about the exchange when its response head is about to be written. */
export interface KeepAliveInput {
  readonly settings: KeepAliveSettings;
  /** The client allows persistence (HTTP/1.1 without `close`, HTTP/1.0 with `keep-alive`). */
  readonly clientKeepAlive: boolean;
  /** The engine is shutting down. */
  readonly draining: boolean;
  /** Responses already sent on this connection. */
  readonly requestsServed: number;
  /** The state of the request body after the handler. */
  readonly body: {
    readonly complete: boolean;
    readonly failed: boolean;
    readonly continueSent: boolean;
    /** Bytes still to come when known, else -1. */
    readonly remainingBytes: number;
  };
}

/** Decides whether to keep the connection after this response. */
export function decideKeepAlive(input: KeepAliveInput): boolean {
  const { settings, body } = input;
  if (!settings.keepAlive || !input.clientKeepAlive || input.draining) return false;
  const max = settings.maxKeepAliveRequests;
  if (max > 0 && input.requestsServed + 1 >= max) return false;
  // A failed body read leaves the position of the next request unknown.
  if (body.failed) return false;
  if (body.complete) return true;
  // RFC 9110 §10.1.1: a client still waiting for 100 Continue may or may not send the body
  // now; only closing leaves no doubt about where the next request starts.
  if (!body.continueSent) return false;
  return body.remainingBytes <= DRAIN_MAX_BYTES;
}

/**
 * The `Keep-Alive` field value for a kept connection: the timeout in whole seconds and, with
 * a MaxKeepAliveRequests limit, how many more requests the connection will take.
 */
export function keepAliveValue(settings: KeepAliveSettings, requestsServed: number): string {
  const timeout = `timeout=${Math.floor(settings.keepAliveTimeoutMs / 1000)}`;
  const max = settings.maxKeepAliveRequests;
  return max > 0 ? `${timeout}, max=${max - requestsServed - 1}` : timeout;
}

/**
 * The longest a draining server waits, for a kept-alive connection idle at the time, for one
 * more request (answered with `Connection: close`) before it closes the connection. Closing
 * at once races a client that is sending its next request: the request is lost, and a client
 * may not retry it. A busy client sends within this time; an idle one then finds the
 * connection closed before it sends, as it would after KeepAliveTimeout.
 */
export const DRAIN_IDLE_GRACE_MS = 1_000;

/** {@link DRAIN_IDLE_GRACE_MS}, never beyond the connection's own KeepAliveTimeout. */
export function drainIdleGraceMs(settings: { readonly keepAliveTimeoutMs: number }): number {
  return Math.min(DRAIN_IDLE_GRACE_MS, settings.keepAliveTimeoutMs);
}
