import { gzipSync } from "node:zlib";

const encoder = new TextEncoder();
const paragraph = "<p>An app answer that compresses well, repeated to a few kilobytes.</p>\n";
/** A page of about 7 KiB. */
export const APP_PAGE = paragraph.repeat(100);

/**
 * The compression tests' app, on /app: a whole JSON body, an endless event stream (two events,
 * then nothing until the client leaves), an answer already gzip-encoded, and one marked
 * `Cache-Control: no-transform`.
 */
export default {
  fetch(request: Request): Response {
    const path = new URL(request.url).pathname;
    switch (path) {
      case "/app/json":
        return Response.json({ items: Array.from({ length: 200 }, (_, id) => ({ id })) });
      case "/app/events": {
        const events = ["data: one\n\n", "data: two\n\n"];
        const stream = new ReadableStream<Uint8Array>({
          pull(controller) {
            const next = events.shift();
            // After the events, a pull that never settles: the stream ends only with the client.
            if (next === undefined) return new Promise(() => {});
            controller.enqueue(encoder.encode(next));
          },
        }, { highWaterMark: 0 });
        return new Response(stream, { headers: { "Content-Type": "text/event-stream" } });
      }
      case "/app/encoded":
        return new Response(new Uint8Array(gzipSync(encoder.encode(APP_PAGE))), {
          headers: { "Content-Type": "text/html", "Content-Encoding": "gzip" },
        });
      case "/app/no-transform":
        return new Response(APP_PAGE, {
          headers: { "Content-Type": "text/html", "Cache-Control": "no-transform" },
        });
      default:
        return new Response(APP_PAGE, { headers: { "Content-Type": "text/html" } });
    }
  },
};
