/**
 * The time an app handler has to produce a response head: RequestTimeout, counted again from
 * each chunk of request body it reads (an upload that keeps moving is not cut off). A handler
 * that lets it pass is answered 504 with `Connection: close`, as httpd's mod_cgi answers a
 * script that times out; what it returns later is discarded. One sweeper per app looks at the
 * requests in flight, and runs only while there have been some since its last round: a request
 * costs a timestamp, not a timer.
 *
 * @module
 */

import { discardStreamBody, errorResponse } from "../../server/http/mod.ts";
import type { Handler, ServerRequest, ServerResponse } from "../../server/http/mod.ts";

/** The sweeper runs at a quarter of the limit, within this range. */
const MIN_SWEEP_MS = 10;
const MAX_SWEEP_MS = 1_000;

interface Pending {
  deadline: number;
  readonly request: ServerRequest;
  /** Set once the handler has not answered at once. */
  resolve: (response: ServerResponse) => void;
}

/** In-flight calls of one app and their deadlines. */
export class ResponseDeadlines {
  readonly #limitMs: number;
  readonly #sweepMs: number;
  readonly #onTimeout: (request: ServerRequest) => void;
  readonly #pending = new Set<Pending>();
  #sweeper: ReturnType<typeof setInterval> | null = null;

  /**
   * @param limitMs RequestTimeout; 0 or less: no limit.
   * @param onTimeout Called for each request answered 504 (to log it).
   */
  constructor(limitMs: number, onTimeout: (request: ServerRequest) => void) {
    this.#limitMs = limitMs;
    this.#sweepMs = Math.max(MIN_SWEEP_MS, Math.min(MAX_SWEEP_MS, Math.floor(limitMs / 4)));
    this.#onTimeout = onTimeout;
  }

  /**
   * Calls `handler` and answers as it does, or with a 504 once the deadline has passed. An
   * answer given at once is returned at once (no bookkeeping, no promise): only a handler that
   * is still to answer is watched.
   */
  run(request: ServerRequest, handler: Handler): ReturnType<Handler> {
    if (this.#limitMs <= 0) return handler(request);
    const entry: Pending = { deadline: Date.now() + this.#limitMs, request, resolve: () => {} };
    const counted = request.body.present ? this.#withProgress(request, entry) : request;
    const result = handler(counted);
    if (!(result instanceof Promise)) return result;
    return new Promise((resolve, reject) => {
      entry.resolve = resolve;
      this.#add(entry);
      // The sweeper stops itself once it finds nothing in flight: starting and stopping a
      // timer for every request would cost more than the request's other bookkeeping.
      const settled = (): boolean => this.#pending.delete(entry);
      result.then(
        (response) => {
          if (settled()) resolve(response);
          // Too late: its client has had the 504.
          else void discardStreamBody(response?.web?.body ?? response?.body ?? null);
        },
        (error) => {
          if (settled()) reject(error);
        },
      );
    });
  }

  /** The request with a body whose every chunk read moves the deadline on. */
  #withProgress(request: ServerRequest, entry: Pending): ServerRequest {
    const body = request.body;
    const limitMs = this.#limitMs;
    const counted: ServerRequest["body"] = {
      length: body.length,
      present: body.present,
      get trailers() {
        return body.trailers;
      },
      read: async () => {
        const chunk = await body.read();
        entry.deadline = Date.now() + limitMs;
        return chunk;
      },
    };
    // The request as it is, but for its body: a request may compute fields when read (the
    // native engine's), which a copy of its own properties would lose.
    return Object.create(request, { body: { value: counted, enumerable: true } });
  }

  #add(entry: Pending): void {
    this.#pending.add(entry);
    if (this.#sweeper !== null) return;
    // Not unref'd: a request in flight holds the isolate until it is answered, 504 included.
    this.#sweeper = setInterval(() => this.#sweep(), this.#sweepMs);
  }

  #sweep(): void {
    const now = Date.now();
    for (const entry of this.#pending) {
      if (entry.deadline > now) continue;
      this.#pending.delete(entry);
      this.#onTimeout(entry.request);
      entry.resolve(errorResponse(504, [["Connection", "close"]]));
    }
    if (this.#pending.size === 0 && this.#sweeper !== null) {
      clearInterval(this.#sweeper);
      this.#sweeper = null;
    }
  }
}
