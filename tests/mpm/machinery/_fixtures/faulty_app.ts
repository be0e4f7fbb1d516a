/**
 * An app whose routes misbehave on purpose, for the MPM fault tests: `/app/busy` never yields
 * (its isolate stops running timers), `/app/slow?ms=N` answers after N ms, `/app/crash`
 * answers and then throws outside any request (its isolate dies), anything else says hello.
 *
 * @module
 */

export default {
  async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    switch (url.pathname) {
      case "/app/busy":
        for (;;) {
          // Spin: the slot's heartbeat stops.
        }
      case "/app/slow":
        await new Promise((resolve) => setTimeout(resolve, Number(url.searchParams.get("ms"))));
        return new Response("slow done\n");
      case "/app/crash":
        setTimeout(() => {
          throw new Error("the faulty app crashes its isolate");
        });
        return new Response("crashing\n");
      default:
        return new Response("hello\n");
    }
  },
};
