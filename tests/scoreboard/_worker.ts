// Test-only Worker: writes its slot of a process scoreboard through the shared buffer.
import { ProcessScoreboard } from "../../scoreboard/mod.ts";

/** What the test posts: the region, which slot to write, and how. */
export interface WorkerJob {
  readonly buffer: SharedArrayBuffer;
  readonly slot: number;
  /** "once": one request then `K`; "hammer": `rounds` requests, then set `done[0]` to 1. */
  readonly mode: "once" | "hammer";
  readonly rounds: number;
  readonly done: Int32Array;
}

const self = globalThis as unknown as {
  onmessage: ((event: MessageEvent<WorkerJob>) => void) | null;
  postMessage(message: string): void;
};

self.onmessage = (event) => {
  const { buffer, slot, mode, rounds, done } = event.data;
  const scoreboard = ProcessScoreboard.attach(buffer);
  const writer = scoreboard.slot(slot);
  if (mode === "once") {
    writer.setState("S");
    writer.startRequest({
      line: "GET /from-worker HTTP/1.1",
      client: "::1",
      vhost: "w",
      nowMs: 1000,
    });
    writer.endRequest({
      bytes: 512,
      durationMs: 250,
      nowMs: 1250,
      method: "GET",
      status: 200,
      protocol: "HTTP/1.1",
    });
    writer.setState("K");
    scoreboard.addConnections(1);
    scoreboard.addKeepAlive(1);
  } else {
    // Every write keeps line and vhost naming the same round, so a torn copy would show.
    for (let i = 0; i < rounds; i++) {
      writer.startRequest({ line: `GET /${i} HTTP/1.1`, client: "::1", vhost: `v${i}`, nowMs: i });
      writer.endRequest({
        bytes: 1,
        durationMs: 0,
        nowMs: i,
        method: "GET",
        status: 200,
        protocol: "HTTP/1.1",
      });
    }
    Atomics.store(done, 0, 1);
  }
  self.postMessage("done");
};
