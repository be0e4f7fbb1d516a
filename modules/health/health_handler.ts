/**
 * The health endpoint (Health): what a load balancer's or Kubernetes' probe asks. It answers
 * 200 while the slot takes requests and 503 once it drains (a graceful stop or restart, a
 * recycled child), so that the balancer stops sending before the connection closes. It asks
 * nothing of the rest of the site: a probe must not fail because a page does.
 *
 * @module
 */

import { type Handler, methodRefusal } from "../../server/http/mod.ts";
import { normaliseForMatching } from "../_location.ts";

const encoder = new TextEncoder();
const SERVING = encoder.encode("OK\n");
const DRAINING = encoder.encode("draining\n");

/**
 * Builds the handler: a request for exactly `location` (any query) gets its answer, any
 * other path falls through.
 *
 * @param location the Health path, e.g. `/healthz`.
 * @param draining whether the slot answering is draining.
 */
export function createHealthHandler(location: string, draining: () => boolean): Handler {
  return (request) => {
    if (normaliseForMatching(request.path) !== location) return null;
    if (request.method !== "GET" && request.method !== "HEAD") {
      throw methodRefusal(request.method, "GET, HEAD", "the health endpoint");
    }
    const serving = !draining();
    return {
      status: serving ? 200 : 503,
      headers: [["Content-Type", "text/plain; charset=utf-8"], ["Cache-Control", "no-store"]],
      body: request.method === "HEAD" ? null : serving ? SERVING : DRAINING,
    };
  };
}
