import assert from "node:assert/strict";
import {
  BenchError,
  h2loadArgs,
  type H2loadResult,
  parseH2loadOutput,
  renderH2,
} from "../../bench/mod.ts";

// Captured from h2load (nghttp2 1.52.0, Debian 12) against nginx 1.22 on this machine.
const NGINX_H2 = `starting benchmark...
spawning thread #0: 10 total client(s). 20000 total requests
TLS Protocol: TLSv1.3
Cipher: TLS_AES_256_GCM_SHA384
Server Temp Key: X25519 253 bits
Application protocol: h2
progress: 10% done
progress: 100% done

finished in 1.29s, 15503.41 req/s, 16.12MB/s
requests: 20000 total, 20000 started, 20000 done, 19990 succeeded, 10 failed, 10 errored, 0 timeout
status codes: 19990 2xx, 0 3xx, 0 4xx, 0 5xx
traffic: 20.79MB (21797540) total, 239.43KB (245175) headers (space savings 91.47%), 20.27MB (21250000) data
`;

Deno.test("parseH2loadOutput() reads the rate, the counts and the protocol", () => {
  assert.deepEqual(parseH2loadOutput(NGINX_H2), {
    requestsPerSec: 15503.41,
    succeeded: 19990,
    failed: 10,
    protocol: "h2",
  });
});

Deno.test("parseH2loadOutput() refuses output without a summary", () => {
  assert.throws(
    () => parseH2loadOutput("starting benchmark...\nNo protocol negotiated. Aborted\n"),
    BenchError,
  );
});

Deno.test("h2loadArgs() asks for requests, clients, streams and threads", () => {
  assert.deepEqual(
    h2loadArgs({
      url: "https://127.0.0.1:1/1k.txt",
      requests: 10,
      clients: 2,
      streams: 100,
      threads: 1,
    }),
    ["-n", "10", "-c", "2", "-m", "100", "-t", "1", "https://127.0.0.1:1/1k.txt"],
  );
});

Deno.test("renderH2() prints each server and mpmd's ratio to each peer with its target", () => {
  const result = (requestsPerSec: number): H2loadResult => ({
    requestsPerSec,
    succeeded: 100,
    failed: 0,
    protocol: "h2",
  });
  const lines = renderH2({ requests: 100, clients: 10, streams: 100, threads: 1 }, [
    { name: "mpmd --mpm event", result: result(9000) },
    { name: "nginx", result: result(10000) },
    { name: "apache-event", result: "skipped" },
  ]);
  assert.equal(lines[1], "  mpmd --mpm event: 9000 req/s (h2, 100 succeeded, 0 failed)");
  assert.equal(lines[3], "  apache-event: skipped");
  assert.deepEqual(lines.slice(4), [
    "  mpmd --mpm event / nginx: 0.90x (target >= 0.8x: met)",
  ]);
});
