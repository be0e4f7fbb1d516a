/**
 * An app for the container tests: `/trickle?ms=N` sends its status and a first line at once,
 * then the rest after N ms, so that a client knows the request is in flight (it has the
 * head) and can tell a finished answer (both lines) from an aborted one.
 *
 * @module
 */

export default {
  fetch(request: Request): Response {
    const ms = Number(new URL(request.url).searchParams.get("ms") ?? "0");
    const encoder = new TextEncoder();
    const body = new ReadableStream<Uint8Array>({
      async start(controller) {
        controller.enqueue(encoder.encode("started\n"));
        await new Promise((resolve) => setTimeout(resolve, ms));
        controller.enqueue(encoder.encode("finished\n"));
        controller.close();
      },
    });
    return new Response(body, { headers: { "content-type": "text/plain" } });
  },
};
