/**
 * An app whose routes misbehave on purpose, for the MPM fault tests: `/app/busy` never yields
 * (its isolate stops running timers), `/app/slow?ms=N` answers after N ms, `/app/crash`
 * answers and then throws outside any request (its isolate dies), `/app/throw` throws,
 * `/app/exit` calls `Deno.exit(3)`, `/app/hang` never answers, `/app/count` answers with the
 * number of request body bytes it read (chunk by chunk), `/app/events?count=N&ms=M` streams N
 * server-sent events M ms apart, `/app/hoard?mb=N` keeps N MiB of memory for good, and
 * `/app/whoami` names its isolate (pid and whether a thread). Anything else says hello.
 *
 * @module
 */

const encoder = new TextEncoder();
/** What `/app/hoard` keeps: never freed while the isolate lives. */
const hoard: Uint8Array[] = [];

function events(count: number, intervalMs: number): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream({
    async pull(controller) {
      if (sent > 0) await new Promise((resolve) => setTimeout(resolve, intervalMs));
      sent++;
      controller.enqueue(encoder.encode(`id: ${sent}\ndata: ${Date.now()}\n\n`));
      if (sent === count) controller.close();
    },
  });
}

export default {
  async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const number = (name: string) => Number(url.searchParams.get(name));
    switch (url.pathname) {
      case "/app/busy":
        for (;;) {
          // Spin: the slot's heartbeat stops.
        }
      case "/app/slow":
        await new Promise((resolve) => setTimeout(resolve, number("ms")));
        return new Response("slow done\n");
      case "/app/crash":
        setTimeout(() => {
          throw new Error("the faulty app crashes its isolate");
        });
        return new Response("crashing\n");
      case "/app/throw":
        throw new Error("the faulty app throws");
      case "/app/exit":
        Deno.exit(3);
        // falls through: Deno.exit does not return
      case "/app/hang":
        return await new Promise(() => {});
      case "/app/count": {
        let bytes = 0;
        for await (const chunk of request.body ?? []) bytes += chunk.length;
        return new Response(`${bytes}\n`);
      }
      case "/app/events":
        return new Response(events(number("count"), number("ms")), {
          headers: { "content-type": "text/event-stream" },
        });
      case "/app/hoard":
        for (let mib = 0; mib < number("mb"); mib += 64) {
          // Written, so that the pages are resident, not only reserved.
          hoard.push(new Uint8Array(64 * 2 ** 20).fill(1));
        }
        return new Response(`hoarding ${hoard.length * 64} MiB\n`);
      case "/app/whoami":
        return new Response(
          `${Deno.pid} ${"WorkerGlobalScope" in globalThis ? "thread" : "process"}`,
        );
      default:
        return new Response("hello\n");
    }
  },
};
