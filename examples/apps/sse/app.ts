/**
 * Server-sent events: `GET /events` streams one event every 200 ms (`?count=N`, default 10),
 * each sent as soon as it is made. `curl -N http://127.0.0.1:8080/events` shows them arrive.
 *
 * @module
 */

const encoder = new TextEncoder();

function events(count: number, intervalMs: number): ReadableStream<Uint8Array> {
  let sent = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  return new ReadableStream({
    pull(controller) {
      return new Promise<void>((resolve) => {
        timer = setTimeout(() => {
          sent++;
          controller.enqueue(encoder.encode(`id: ${sent}\ndata: ${Date.now()}\n\n`));
          if (sent === count) controller.close();
          resolve();
        }, sent === 0 ? 0 : intervalMs);
      });
    },
    // The client went away: stop the clock.
    cancel() {
      clearTimeout(timer);
    },
  });
}

export default {
  fetch(request: Request): Response {
    const url = new URL(request.url);
    if (url.pathname !== "/events") return new Response("GET /events\n", { status: 404 });
    const count = Math.min(Math.max(Number(url.searchParams.get("count") ?? 10) || 10, 1), 1000);
    return new Response(events(count, 200), {
      headers: { "content-type": "text/event-stream", "cache-control": "no-store" },
    });
  },
};
