/**
 * A per-isolate counter: every slot (a prefork process, a worker or event thread) imports the
 * module once and keeps its own count, so the answers show the MPM's isolation. Reload a few
 * times: under prefork the pid changes between counters, under worker and event the thread.
 *
 * @module
 */

let count = 0;
// Who this isolate is: its process, and whether it runs in a Worker (a thread).
const where = `pid ${Deno.pid}${"WorkerGlobalScope" in globalThis ? ", a thread" : ", a process"}`;

export default {
  fetch(): Response {
    count++;
    return new Response(`request ${count} of this isolate (${where})\n`);
  },
};
