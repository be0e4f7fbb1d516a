import assert from "node:assert/strict";
import { BenchError, parseWrkOutput, wrkArgs, type WrkResult } from "../../bench/mod.ts";

// Captured from wrk debian/4.1.0-3+b2 on this machine: Apache 2.4 event MPM, keep-alive.
const APACHE_KEEP_ALIVE = `Running 2s test @ http://127.0.0.1:41927/1k.txt
  1 threads and 50 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     1.86ms    4.55ms  56.29ms   95.04%
    Req/Sec    44.09k     9.06k   61.13k    75.00%
  Latency Distribution
     50%  772.00us
     75%    1.27ms
     90%    2.81ms
     99%   24.51ms
  87794 requests in 2.00s, 105.09MB read
  Socket errors: connect 0, read 900, write 0, timeout 0
Requests/sec:  43865.72
Transfer/sec:     52.51MB
`;

// Same server with -H "Connection: close": no error lines at all.
const APACHE_CLOSE = `Running 2s test @ http://127.0.0.1:41927/1k.txt
  1 threads and 50 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     2.00ms    1.46ms  38.63ms   83.13%
    Req/Sec    17.80k     3.30k   21.81k    50.00%
  Latency Distribution
     50%    1.84ms
     75%    2.59ms
     90%    3.31ms
     99%    6.24ms
  35619 requests in 2.02s, 43.28MB read
Requests/sec:  17673.82
Transfer/sec:     21.47MB
`;

// nginx asked for a missing file: every response is a 404.
const NGINX_404 = `Running 1s test @ http://127.0.0.1:44031/missing
  1 threads and 10 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   287.61us  666.78us   7.33ms   90.81%
    Req/Sec   108.86k     7.85k  124.41k    81.82%
  Latency Distribution
     50%   63.00us
     75%  109.00us
     90%  845.00us
     99%    3.36ms
  118752 requests in 1.10s, 34.88MB read
  Non-2xx or 3xx responses: 118752
Requests/sec: 107964.02
Transfer/sec:     31.71MB
`;

// nginx without --latency: no distribution.
const NGINX_NO_LATENCY = `Running 1s test @ http://127.0.0.1:44031/1k.txt
  1 threads and 10 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   195.54us  476.91us   7.95ms   93.17%
    Req/Sec    90.38k     3.47k   97.07k    72.73%
  98688 requests in 1.10s, 118.96MB read
Requests/sec:  89719.87
Transfer/sec:    108.15MB
`;

// A listener that accepts and never answers.
const SILENT_SERVER = `Running 2s test @ http://127.0.0.1:43105/
  1 threads and 5 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     0.00us    0.00us   0.00us    -nan%
    Req/Sec     0.00      0.00     0.00      -nan%
  Latency Distribution
     50%    0.00us
     75%    0.00us
     90%    0.00us
     99%    0.00us
  0 requests in 2.00s, 0.00B read
Requests/sec:      0.00
Transfer/sec:       0.00B
`;

const NO_SOCKET_ERRORS = { connect: 0, read: 0, write: 0, timeout: 0 };

const CASES: { name: string; text: string; want: WrkResult }[] = [
  {
    name: "reads req/s, socket errors and latency in us and ms",
    text: APACHE_KEEP_ALIVE,
    want: {
      requestsPerSec: 43865.72,
      requests: 87794,
      durationSec: 2,
      non2xx: 0,
      socketErrors: { connect: 0, read: 900, write: 0, timeout: 0 },
      errors: 900,
      latencyMs: { p50: 0.772, p75: 1.27, p90: 2.81, p99: 24.51 },
    },
  },
  {
    name: "counts no errors when wrk prints no error lines",
    text: APACHE_CLOSE,
    want: {
      requestsPerSec: 17673.82,
      requests: 35619,
      durationSec: 2.02,
      non2xx: 0,
      socketErrors: NO_SOCKET_ERRORS,
      errors: 0,
      latencyMs: { p50: 1.84, p75: 2.59, p90: 3.31, p99: 6.24 },
    },
  },
  {
    name: "counts non-2xx responses as errors",
    text: NGINX_404,
    want: {
      requestsPerSec: 107964.02,
      requests: 118752,
      durationSec: 1.1,
      non2xx: 118752,
      socketErrors: NO_SOCKET_ERRORS,
      errors: 118752,
      latencyMs: { p50: 0.063, p75: 0.109, p90: 0.845, p99: 3.36 },
    },
  },
  {
    name: "gives null latency without --latency",
    text: NGINX_NO_LATENCY,
    want: {
      requestsPerSec: 89719.87,
      requests: 98688,
      durationSec: 1.1,
      non2xx: 0,
      socketErrors: NO_SOCKET_ERRORS,
      errors: 0,
      latencyMs: null,
    },
  },
  {
    name: "reads a run that completed no request",
    text: SILENT_SERVER,
    want: {
      requestsPerSec: 0,
      requests: 0,
      durationSec: 2,
      non2xx: 0,
      socketErrors: NO_SOCKET_ERRORS,
      errors: 0,
      latencyMs: { p50: 0, p75: 0, p90: 0, p99: 0 },
    },
  },
];

function rounded(result: WrkResult): WrkResult {
  // Unit conversion multiplies floats (772.00 * 0.001); compare at 1 ns resolution.
  const round = (n: number) => Math.round(n * 1e6) / 1e6;
  const l = result.latencyMs;
  return {
    ...result,
    latencyMs: l && { p50: round(l.p50), p75: round(l.p75), p90: round(l.p90), p99: round(l.p99) },
  };
}

Deno.test("parseWrkOutput()", async (t) => {
  for (const c of CASES) {
    await t.step(c.name, () => {
      assert.deepEqual(rounded(parseWrkOutput(c.text)), c.want);
    });
  }
});

Deno.test("parseWrkOutput() rejects output without a summary", async (t) => {
  const BAD = [
    { name: "connection refused", text: "unable to connect to 127.0.0.1:1 Connection refused\n" },
    { name: "usage text", text: "Usage: wrk <options> <url>\n  Options:\n" },
    { name: "cut before Requests/sec", text: APACHE_KEEP_ALIVE.split("Requests/sec")[0]! },
  ];
  for (const c of BAD) {
    await t.step(c.name, () => {
      assert.throws(() => parseWrkOutput(c.text), (e) => {
        assert.ok(e instanceof BenchError);
        assert.match(e.message, /^Cannot parse wrk output: /);
        return true;
      });
    });
  }
});

Deno.test("wrkArgs() builds a keep-alive and a Connection: close command line", async (t) => {
  const base = { url: "http://127.0.0.1:8080/1k.txt", threads: 1, connections: 50, durationSec: 5 };
  await t.step("keep-alive", () => {
    assert.deepEqual(wrkArgs({ ...base, headers: {} }), [
      "-t1",
      "-c50",
      "-d5s",
      "--latency",
      "http://127.0.0.1:8080/1k.txt",
    ]);
  });
  await t.step("Connection: close", () => {
    assert.deepEqual(wrkArgs({ ...base, headers: { Connection: "close" } }), [
      "-t1",
      "-c50",
      "-d5s",
      "--latency",
      "-H",
      "Connection: close",
      "http://127.0.0.1:8080/1k.txt",
    ]);
  });
});
