import assert from "node:assert/strict";
import {
  createErrorLog,
  createMemorySink,
  type ErrorLogOptions,
  LOG_LEVELS,
  type LogLevel,
} from "../../../server/log/mod.ts";

/** 10:14:51.1235 UTC on a Thursday; the .5 ms fraction is exact in binary floating point. */
const NOW_MS = Date.UTC(2026, 10, 26, 10, 14, 51, 123) + 0.5;

function setup(options: Partial<ErrorLogOptions> = {}) {
  const sink = createMemorySink();
  const log = createErrorLog({
    level: "warn",
    sink,
    pid: 1234,
    utcOffsetMinutes: 0,
    now: () => NOW_MS,
    ...options,
  });
  return { sink, log };
}

Deno.test("createErrorLog() writes httpd's default layout", async (t) => {
  await t.step("exact line with injected clock and offset", () => {
    const { sink, log } = setup();
    log.error("Cannot open /srv/x: permission denied");
    assert.deepEqual(sink.lines, [
      "[Thu Nov 26 10:14:51.123500 2026] [core:error] [pid 1234:tid 0] " +
      "Cannot open /srv/x: permission denied",
    ]);
  });
  await t.step("local time at the given offset, tid option", () => {
    const { sink, log } = setup({ utcOffsetMinutes: -600, tid: 3 });
    log.warn("w");
    assert.deepEqual(sink.lines, [
      "[Thu Nov 26 00:14:51.123500 2026] [core:warn] [pid 1234:tid 3] w",
    ]);
  });
  await t.step("zero-padded day and a real clock by default", () => {
    const sink = createMemorySink();
    createErrorLog({ level: "warn", sink }).error("boom");
    assert.match(
      sink.lines[0] ?? "",
      new RegExp(
        String
          .raw`^\[(Sun|Mon|Tue|Wed|Thu|Fri|Sat) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) ` +
          String
            .raw`\d\d \d\d:\d\d:\d\d\.\d{6} \d{4}\] \[core:error\] \[pid ${Deno.pid}:tid 0\] boom$`,
      ),
    );
  });
});

const LEVEL_CASES: ReadonlyArray<{ level: LogLevel; logged: readonly LogLevel[] }> = [
  { level: "emerg", logged: ["emerg", "notice"] },
  { level: "error", logged: ["emerg", "alert", "crit", "error", "notice"] },
  { level: "warn", logged: ["emerg", "alert", "crit", "error", "warn", "notice"] },
  { level: "notice", logged: ["emerg", "alert", "crit", "error", "warn", "notice"] },
  { level: "info", logged: ["emerg", "alert", "crit", "error", "warn", "notice", "info"] },
  { level: "debug", logged: LOG_LEVELS.slice(0, 8) },
  { level: "trace2", logged: LOG_LEVELS.slice(0, 10) },
  { level: "trace8", logged: LOG_LEVELS },
];

Deno.test("createErrorLog() drops entries below LogLevel but always logs notice", async (t) => {
  for (const c of LEVEL_CASES) {
    await t.step(`LogLevel ${c.level}`, () => {
      const { sink, log } = setup({ level: c.level });
      for (const level of LOG_LEVELS) log.log(level, `at ${level}`);
      const written = sink.lines.map((line) => /\[core:([a-z0-9]+)\]/.exec(line)?.[1]);
      assert.deepEqual(written, [...c.logged]);
      assert.deepEqual(LOG_LEVELS.filter((level) => log.enabled(level)), [...c.logged]);
      assert.equal(log.level, c.level);
    });
  }
  await t.step("the shorthand methods use their level", () => {
    const { sink, log } = setup({ level: "debug" });
    log.error("e");
    log.warn("w");
    log.notice("n");
    log.info("i");
    log.debug("d");
    assert.deepEqual(sink.lines.map((line) => line.replace(/^.*\[core:(\w+)\].* (\w)$/, "$1 $2")), [
      "error e",
      "warn w",
      "notice n",
      "info i",
      "debug d",
    ]);
  });
});

Deno.test("createErrorLog() withModule() and withClient() tag entries", async (t) => {
  await t.step("withModule() changes the module, not the original", () => {
    const { sink, log } = setup();
    log.withModule("mpm_event").notice("resuming normal operations");
    log.error("x");
    assert.deepEqual(sink.lines.map((line) => /\] \[([^\]]+)\]/.exec(line)?.[1]), [
      "mpm_event:notice",
      "core:error",
    ]);
  });
  await t.step("module option names the first logger", () => {
    const { sink, log } = setup({ module: "http" });
    log.error("x");
    assert.match(sink.lines[0] ?? "", /\] \[http:error\] \[pid/);
  });
  await t.step("withClient() adds [client a:p] before the message", () => {
    const { sink, log } = setup();
    const client = log.withModule("static").withClient({ hostname: "203.0.113.7", port: 5678 });
    client.error("File does not exist: /srv/www/nope");
    client.withModule("http").warn("w");
    client.withClient(null).warn("no client");
    assert.deepEqual(sink.lines, [
      "[Thu Nov 26 10:14:51.123500 2026] [static:error] [pid 1234:tid 0] " +
      "[client 203.0.113.7:5678] File does not exist: /srv/www/nope",
      "[Thu Nov 26 10:14:51.123500 2026] [http:warn] [pid 1234:tid 0] [client 203.0.113.7:5678] w",
      "[Thu Nov 26 10:14:51.123500 2026] [static:warn] [pid 1234:tid 0] no client",
    ]);
  });
  await t.step("an IPv6 client", () => {
    const { sink, log } = setup();
    log.withClient({ hostname: "::1", port: 80 }).error("x");
    assert.match(sink.lines[0] ?? "", /\] \[client ::1:80\] x$/);
  });
});

Deno.test("createErrorLog() withDestination() writes elsewhere or at another level", async (t) => {
  const CASES: { name: string; own: boolean; level: LogLevel; logged: string[] }[] = [
    { name: "another sink, more verbose", own: true, level: "debug", logged: ["warn", "debug"] },
    { name: "the same sink, less verbose", own: false, level: "error", logged: [] },
  ];
  for (const c of CASES) {
    await t.step(c.name, () => {
      const { sink, log } = setup({ tid: 3 });
      const other = createMemorySink();
      const host = log.withModule("static").withDestination({
        ...(c.own && { sink: other }),
        level: c.level,
      });
      host.warn("w");
      host.debug("d");
      log.info("dropped at warn");
      const written = c.own ? other.lines : sink.lines;
      assert.deepEqual(
        written.map((line) => /:(\w+)\] \[pid 1234:tid 3\]/.exec(line)?.[1]),
        c.logged,
      );
      assert.ok(written.every((line) => line.includes("[static:")));
      if (c.own) assert.deepEqual(sink.lines, []);
    });
  }
});

Deno.test("createErrorLog() appends the cause", async (t) => {
  await t.step("an Error's stack on the following lines", () => {
    const { sink, log } = setup();
    const cause = new TypeError("inner failure");
    log.error("Cannot serve /x", cause);
    const [line] = sink.lines;
    assert.ok(line !== undefined);
    const [first, ...rest] = line.split("\n");
    assert.equal(
      first,
      "[Thu Nov 26 10:14:51.123500 2026] [core:error] [pid 1234:tid 0] " +
        "Cannot serve /x: TypeError: inner failure",
    );
    assert.ok(rest.length > 0);
    for (const frame of rest) assert.match(frame, /^\s+at /);
    assert.equal(line, `${first?.slice(0, -"TypeError: inner failure".length)}${cause.stack}`);
  });
  await t.step("an Error's cause chain", () => {
    const { sink, log } = setup();
    const cause = new Error("outer", { cause: new RangeError("root") });
    log.error("failed", cause);
    assert.match(sink.lines[0] ?? "", /\n {4}caused by: RangeError: root\n/);
  });
  await t.step("a non-Error as String(cause)", () => {
    const { sink, log } = setup();
    log.error("failed", 42);
    log.log("crit", "failed", { toString: () => "custom" });
    log.error("failed", null);
    assert.deepEqual(sink.lines.map((line) => line.split("] ").at(-1)), [
      "failed: 42",
      "failed: custom",
      "failed: null",
    ]);
  });
  await t.step("no cause, no suffix", () => {
    const { sink, log } = setup();
    log.error("plain");
    assert.match(sink.lines[0] ?? "", /\] plain$/);
  });
});

Deno.test("createErrorLog() keeps each entry on its own line whatever the text", async (t) => {
  const FORGED = "[Thu Nov 26 10:14:51.123500 2026] [core:emerg] [pid 1:tid 0] forged";
  await t.step("control characters in the message are escaped, terminal colours dropped", () => {
    const { sink, log } = setup();
    log.error(`Cannot find /srv/www/a\r\n${FORGED}\x1b[31m\x00\x7f\x1b`);
    assert.deepEqual(sink.lines, [
      "[Thu Nov 26 10:14:51.123500 2026] [core:error] [pid 1234:tid 0] " +
      String.raw`Cannot find /srv/www/a\r\n${FORGED}\x00\x7f\x1b`,
    ]);
  });
  await t.step("text escaped by escapeLogItem() is not escaped twice", () => {
    const { sink, log } = setup();
    log.error(String.raw`GET /a\x0a "quoted"`);
    assert.match(sink.lines[0] ?? "", /\] GET \/a\\x0a "quoted"$/);
  });
  await t.step("an Error's message in the cause is escaped, its stack frames kept", () => {
    const { sink, log } = setup();
    log.error("Cannot serve /x", new Error(`stat '/srv/a\n    at x\n${FORGED}'`));
    const [first, ...frames] = (sink.lines[0] ?? "").split("\n");
    assert.match(
      first ?? "",
      /Cannot serve \/x: Error: stat '\/srv\/a\\n {4}at x\\n\[Thu .* forged'$/,
    );
    assert.ok(frames.length > 0);
    for (const frame of frames) assert.match(frame, /^\s+at /);
  });
  await t.step("a non-Error cause is escaped", () => {
    const { sink, log } = setup();
    log.error("failed", `one\n${FORGED}`);
    assert.deepEqual(sink.lines.map((line) => line.split("\n").length), [1]);
  });
});
