/**
 * Real backends for the balancer tests: node:http servers on 127.0.0.1 that answer every
 * request with their own name, can be killed (listener and connections closed) and brought
 * back on the same port.
 *
 * @module
 */

import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** One backend. */
export interface Backend {
  /** Its name, the body of every answer. */
  readonly name: string;
  /** Its port on 127.0.0.1. */
  readonly port: number;
  /** `http://127.0.0.1:PORT/`. */
  readonly url: string;
  /** Requests it answered. */
  readonly served: number;
  /** Closes its listener and every connection at once, as a crashed process would. */
  kill(): Promise<void>;
  /** Listens again on the same port. */
  revive(): Promise<void>;
}

/** Listens on 127.0.0.1:`port` (0: a free one); resolves with the port it got. */
function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve((server.address() as AddressInfo).port));
  });
}

/** Starts a backend named `name` on a free port. */
export async function startBackend(name: string): Promise<Backend & AsyncDisposable> {
  let served = 0;
  const make = () =>
    createServer((request, response) => {
      served++;
      response.setHeader("content-type", "text/plain");
      // A session backend sets its route, as Tomcat's jvmRoute does.
      if (request.url?.startsWith("/login")) {
        response.setHeader("set-cookie", `JSESSIONID=s${served}.${name}; Path=/`);
      }
      response.end(name);
    });
  let server = make();
  const port = await listen(server, 0);
  const close = () =>
    new Promise<void>((resolve) => {
      if (!server.listening) return resolve();
      server.close(() => resolve());
      server.closeAllConnections();
    });
  const backend = {
    name,
    port,
    url: `http://127.0.0.1:${port}/`,
    get served() {
      return served;
    },
    kill: close,
    async revive() {
      server = make();
      await listen(server, port);
    },
    [Symbol.asyncDispose]: close,
  };
  return backend;
}

/** Polls `condition` every 20 ms until it holds or `deadlineMs` passes; the time it took. */
export async function waitUntil(
  condition: () => boolean | Promise<boolean>,
  deadlineMs: number,
  what: string,
): Promise<number> {
  const start = performance.now();
  while (!(await condition())) {
    if (performance.now() - start > deadlineMs) {
      throw new Error(`Not ${what} within ${deadlineMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return performance.now() - start;
}
