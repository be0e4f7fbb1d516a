// Test-only child process: `deno run -A _child.ts <scoreboard path> <index> <name>`.
// Writes its process record and slot 0, flushes, prints "flushed", then keeps flushing until
// its stdin closes; then it moves slot 0 to `_` and stops the flusher (the exit flush).
import { ProcessScoreboard, ScoreboardFile, startFlushing } from "../../scoreboard/mod.ts";

const [path = "", index = "0", name = "child"] = Deno.args;
const file = ScoreboardFile.open(path);
const scoreboard = ProcessScoreboard.create({
  pid: Deno.pid,
  generation: 2,
  threadLimit: file.threadLimit,
  nowMs: Date.now(),
});
const slot = scoreboard.slot(0);
slot.startRequest({ line: `GET /${name} HTTP/1.1`, client: "127.0.0.1", vhost: name, nowMs: 1 });
slot.endRequest({
  bytes: 100,
  durationMs: 1,
  nowMs: 2,
  method: "GET",
  status: 200,
  protocol: "HTTP/1.1",
});
slot.setState("K");
scoreboard.slot(1).setState("_");
scoreboard.addConnections(1);
scoreboard.addKeepAlive(1);
const flusher = startFlushing({
  scoreboard,
  file,
  index: Number(index),
  intervalMs: 20,
  onError: (error) => {
    throw error;
  },
});
await Deno.stdout.write(new TextEncoder().encode("flushed\n"));
for await (const _ of Deno.stdin.readable) {
  // Only the end of stdin matters.
}
slot.setState("_");
flusher.stop();
file.close();
