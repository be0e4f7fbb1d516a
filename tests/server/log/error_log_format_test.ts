import assert from "node:assert/strict";
import {
  createErrorLog,
  createMemorySink,
  ERROR_LOG_FORMATS,
  ERROR_LOG_RENDERERS,
  type ErrorLogEntry,
  type ErrorLogger,
  type ErrorLogOptions,
} from "../../../server/log/mod.ts";

/** 10:14:51.1235 UTC on a Thursday; the .5 ms fraction is exact in binary floating point. */
const NOW_MS = Date.UTC(2026, 10, 26, 10, 14, 51, 123) + 0.5;
const TIME = "2026-11-26T10:14:51.123500Z";

function jsonLog(options: Partial<ErrorLogOptions> = {}) {
  const sink = createMemorySink();
  const log = createErrorLog({
    level: "warn",
    format: "json",
    sink,
    pid: 1234,
    utcOffsetMinutes: 0,
    now: () => NOW_MS,
    ...options,
  });
  return { sink, log };
}

const CLIENT = { hostname: "203.0.113.7", port: 5678 };

const CASES: ReadonlyArray<{
  name: string;
  options?: Partial<ErrorLogOptions>;
  write: (log: ErrorLogger) => void;
  want: Record<string, unknown>;
}> = [
  {
    name: "the fields in order, no client and no cause",
    write: (log) => log.error("Cannot open /srv/x: permission denied"),
    want: {
      time: TIME,
      level: "error",
      module: "core",
      pid: 1234,
      tid: 0,
      message: "Cannot open /srv/x: permission denied",
    },
  },
  {
    name: "module, thread and client",
    options: { tid: 3 },
    write: (log) => log.withModule("static").withClient(CLIENT).warn("File does not exist"),
    want: {
      time: TIME,
      level: "warn",
      module: "static",
      pid: 1234,
      tid: 3,
      client: "203.0.113.7:5678",
      message: "File does not exist",
    },
  },
  {
    name: "an IPv6 client as addr:port, as httpd writes it",
    write: (log) => log.withClient({ hostname: "::1", port: 80 }).error("x"),
    want: {
      time: TIME,
      level: "error",
      module: "core",
      pid: 1234,
      tid: 0,
      client: "::1:80",
      message: "x",
    },
  },
  {
    name: "time is UTC whatever the local offset",
    options: { utcOffsetMinutes: -600 },
    write: (log) => log.notice("resuming normal operations"),
    want: {
      time: TIME,
      level: "notice",
      module: "core",
      pid: 1234,
      tid: 0,
      message: "resuming normal operations",
    },
  },
  {
    name: "a non-Error cause as String(cause)",
    write: (log) => log.error("failed", 42),
    want: {
      time: TIME,
      level: "error",
      module: "core",
      pid: 1234,
      tid: 0,
      message: "failed",
      cause: "42",
    },
  },
  {
    name: "a null cause is a cause",
    write: (log) => log.log("crit", "failed", null),
    want: {
      time: TIME,
      level: "crit",
      module: "core",
      pid: 1234,
      tid: 0,
      message: "failed",
      cause: "null",
    },
  },
  {
    name: "control characters are kept, for JSON.stringify to escape; terminal colours go",
    write: (log) => log.error('a\r\nb\x1b[31m\x00\x7f "q" \\'),
    want: {
      time: TIME,
      level: "error",
      module: "core",
      pid: 1234,
      tid: 0,
      message: 'a\r\nb\x00\x7f "q" \\',
    },
  },
];

Deno.test("createErrorLog() with format json writes one JSON object per line", async (t) => {
  for (const c of CASES) {
    await t.step(c.name, () => {
      const { sink, log } = jsonLog(c.options);
      c.write(log);
      assert.equal(sink.lines.length, 1);
      const line = sink.lines[0] ?? "";
      assert.ok(!line.includes("\n"), line);
      const parsed = JSON.parse(line);
      assert.deepEqual(parsed, c.want);
      assert.deepEqual(Object.keys(parsed), Object.keys(c.want), "field order");
    });
  }
});

Deno.test("createErrorLog() with format json writes an Error's stack as one string", async (t) => {
  await t.step("the stack, unescaped, in cause", () => {
    const { sink, log } = jsonLog();
    const cause = new TypeError("inner\nfailure");
    log.error("Cannot serve /x", cause);
    const line = sink.lines[0] ?? "";
    assert.ok(!line.includes("\n"), line);
    assert.equal(JSON.parse(line).cause, cause.stack);
  });
  await t.step("the cause chain follows", () => {
    const { sink, log } = jsonLog();
    log.error("failed", new Error("outer", { cause: new RangeError("root") }));
    assert.match(
      JSON.parse(sink.lines[0] ?? "").cause,
      /^Error: outer\n.*\n {4}caused by: RangeError: root\n/s,
    );
  });
  await t.step("LogLevel applies as in the default layout", () => {
    const { sink, log } = jsonLog({ level: "error" });
    log.warn("dropped");
    log.notice("kept");
    log.error("kept");
    assert.deepEqual(sink.lines.map((line) => JSON.parse(line).level), ["notice", "error"]);
  });
});

Deno.test("ERROR_LOG_RENDERERS render one entry in each format", async (t) => {
  const entry: ErrorLogEntry = {
    timeMs: NOW_MS,
    utcOffsetMinutes: 60,
    level: "error",
    module: "http",
    pid: 1234,
    tid: 2,
    client: CLIENT,
    message: "Cannot read request\n",
    cause: "reset",
  };
  const WANT = {
    default: "[Thu Nov 26 11:14:51.123500 2026] [http:error] [pid 1234:tid 2] " +
      String.raw`[client 203.0.113.7:5678] Cannot read request\n: reset`,
    json: '{"time":"2026-11-26T10:14:51.123500Z","level":"error","module":"http","pid":1234,' +
      String.raw`"tid":2,"client":"203.0.113.7:5678","message":"Cannot read request\n",` +
      '"cause":"reset"}',
  } as const;
  assert.deepEqual(Object.keys(ERROR_LOG_RENDERERS).sort(), [...ERROR_LOG_FORMATS].sort());
  for (const format of ERROR_LOG_FORMATS) {
    await t.step(format, () => assert.equal(ERROR_LOG_RENDERERS[format](entry), WANT[format]));
  }
});

Deno.test("ERROR_LOG_RENDERERS drop terminal colours and escape a stray ESC", async (t) => {
  const entry: ErrorLogEntry = {
    timeMs: NOW_MS,
    utcOffsetMinutes: 0,
    level: "error",
    module: "app",
    pid: 1,
    tid: 0,
    client: null,
    // As Deno writes an error on a terminal: red, bold, reset; then an ESC that starts nothing.
    message: "\x1b[0m\x1b[1m\x1b[31merror\x1b[0m: Unexpected token \x1b!",
    cause: "\x1b[38;5;245mat\x1b[0m x.ts",
  };
  const WANT = {
    default: "[Thu Nov 26 10:14:51.123500 2026] [app:error] [pid 1:tid 0] " +
      String.raw`error: Unexpected token \x1b!: at x.ts`,
    json: '{"time":"2026-11-26T10:14:51.123500Z","level":"error","module":"app","pid":1,' +
      String.raw`"tid":0,"message":"error: Unexpected token \u001b!","cause":"at x.ts"}`,
  } as const;
  for (const format of ERROR_LOG_FORMATS) {
    await t.step(format, () => assert.equal(ERROR_LOG_RENDERERS[format](entry), WANT[format]));
  }
});
