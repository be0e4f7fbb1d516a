/**
 * A fixed AccessRecord and a deadline poller shared by the log tests.
 *
 * @module
 */

import type { AccessRecord } from "../../../server/log/mod.ts";

/** Thu, 26 Nov 2026 10:14:51.123 UTC. */
export const STARTED_AT = Date.UTC(2026, 10, 26, 10, 14, 51, 123);

/** One exchange with every field set to a recognisable value. */
export const RECORD: AccessRecord = {
  remote: { hostname: "203.0.113.7", port: 51234 },
  local: { hostname: "192.0.2.1", port: 8080 },
  startedAt: STARTED_AT,
  durationUs: 2_345_000,
  requestLine: "GET /index.html?x=1 HTTP/1.1",
  method: "GET",
  path: "/index.html",
  query: "x=1",
  protocol: "HTTP/1.1",
  requestHeaders: new Map([
    ["host", "WWW.Example.com:8080"],
    ["user-agent", "curl/8.0"],
    ["referer", "http://ref.example/"],
    ["cookie", "a=1; session=abc"],
  ]),
  status: 200,
  responseHeaders: [
    ["Content-Type", "text/html"],
    ["Set-Cookie", "a=1"],
    ["Set-Cookie", "b=2"],
    ["Content-Length", "1234"],
  ],
  bodyBytes: 1234,
  receivedBytes: 412,
  sentBytes: 1502,
  keepAliveRequests: 3,
  connectionStatus: "+",
  serverName: "example.com",
  tls: null,
};

/** A request the parser rejected: nothing but addresses, time and status are known. */
export const REJECTED: AccessRecord = {
  ...RECORD,
  requestLine: "",
  method: "",
  path: "",
  query: "",
  protocol: "",
  requestHeaders: new Map(),
  status: 400,
  responseHeaders: [["Content-Length", "226"]],
  bodyBytes: 226,
  receivedBytes: 37,
  sentBytes: 371,
  keepAliveRequests: 0,
  connectionStatus: "-",
};

/** Calls `check` until it returns a value other than `undefined`, or fails after `deadlineMs`. */
export async function pollUntil<T>(
  what: string,
  check: () => Promise<T | undefined>,
  deadlineMs = 5_000,
): Promise<T> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) {
      throw new Error(`Timed out after ${deadlineMs} ms waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
