import assert from "node:assert/strict";
import { stopActionOf } from "../../platform/mod.ts";

Deno.test("stopActionOf(): httpd's stop signals, and SIGTERM under GracefulSigterm", async (t) => {
  const cases = [
    // As httpd.
    { signal: "SIGTERM", gracefulSigterm: false, stopping: false, want: "stop" },
    { signal: "SIGINT", gracefulSigterm: false, stopping: false, want: "stop" },
    { signal: "SIGWINCH", gracefulSigterm: false, stopping: false, want: "graceful-stop" },
    { signal: "SIGWINCH", gracefulSigterm: false, stopping: true, want: "none" },
    { signal: "SIGTERM", gracefulSigterm: false, stopping: true, want: "stop" },
    { signal: "SIGINT", gracefulSigterm: false, stopping: true, want: "stop" },
    // The container setting: a first SIGTERM drains, a second one stops; Ctrl-C still stops.
    { signal: "SIGTERM", gracefulSigterm: true, stopping: false, want: "graceful-stop" },
    { signal: "SIGTERM", gracefulSigterm: true, stopping: true, want: "stop" },
    { signal: "SIGINT", gracefulSigterm: true, stopping: false, want: "stop" },
    { signal: "SIGWINCH", gracefulSigterm: true, stopping: false, want: "graceful-stop" },
    { signal: "SIGWINCH", gracefulSigterm: true, stopping: true, want: "none" },
  ] as const;
  for (const c of cases) {
    const name = `${c.signal}${c.gracefulSigterm ? " (GracefulSigterm)" : ""}${
      c.stopping ? " during a graceful stop" : ""
    }: ${c.want}`;
    await t.step(name, () => {
      const state = { gracefulSigterm: c.gracefulSigterm, stoppingGracefully: c.stopping };
      assert.equal(stopActionOf(c.signal, state), c.want);
    });
  }
});
