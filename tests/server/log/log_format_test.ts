import assert from "node:assert/strict";
import {
  type AccessRecord,
  COMBINED_LOG_FORMAT,
  COMMON_LOG_FORMAT,
  compileLogFormat,
  LOG_FORMAT_NICKNAMES,
  LogFormatError,
  type LogFormatOptions,
} from "../../../server/log/mod.ts";
import { RECORD, REJECTED, STARTED_AT } from "./_fixtures.ts";

const OPTIONS: LogFormatOptions = { pid: 4242, tid: 255, utcOffsetMinutes: 0 };

interface Case {
  readonly format: string;
  readonly expected: string;
  readonly record?: Partial<AccessRecord>;
  readonly options?: LogFormatOptions;
}

const DIRECTIVES: readonly Case[] = [
  { format: "%h", expected: "203.0.113.7" },
  { format: "%a", expected: "203.0.113.7" },
  { format: "%{c}a", expected: "203.0.113.7" },
  { format: "%A", expected: "192.0.2.1" },
  { format: "%l", expected: "-" },
  { format: "%{SSL_PROTOCOL}x %{SSL_CIPHER}x %{SSL_TLS_SNI}x", expected: "- - -" },
  {
    format: "%{SSL_PROTOCOL}x %{SSL_CIPHER}x %{SSL_TLS_SNI}x",
    expected: "TLSv1.3 TLS_AES_256_GCM_SHA384 a.test",
    record: {
      tls: { protocol: "TLSv1.3", cipher: "TLS_AES_256_GCM_SHA384", serverName: "a.test" },
    },
  },
  { format: "%u", expected: "-" },
  {
    format: "%u",
    expected: "alice",
    record: { requestHeaders: new Map([["authorization", `Basic ${btoa("alice:wonder")}`]]) },
  },
  {
    format: "%u",
    expected: 'al\\"ice',
    record: { requestHeaders: new Map([["authorization", `Basic ${btoa('al"ice:x')}`]]) },
  },
  {
    format: "%u",
    expected: "-",
    record: { requestHeaders: new Map([["authorization", "Bearer abc"]]) },
  },
  { format: "%t", expected: "[26/Nov/2026:10:14:51 +0000]" },
  {
    format: "%t",
    expected: "[26/Nov/2026:05:14:51 -0500]",
    options: { ...OPTIONS, utcOffsetMinutes: -300 },
  },
  {
    format: "%t",
    expected: "[26/Nov/2026:15:44:51 +0530]",
    options: { ...OPTIONS, utcOffsetMinutes: 330 },
  },
  {
    format: "%t",
    expected: "[01/Jan/2027:00:14:51 +1400]",
    record: { startedAt: Date.UTC(2026, 11, 31, 10, 14, 51) },
    options: { ...OPTIONS, utcOffsetMinutes: 840 },
  },
  { format: "%{sec}t", expected: "1795688091" },
  { format: "%{msec}t", expected: "1795688091123" },
  { format: "%{usec}t", expected: "1795688091123000" },
  { format: "%{msec_frac}t", expected: "123" },
  { format: "%{usec_frac}t", expected: "123000" },
  { format: "%{begin:sec}t", expected: "1795688091" },
  { format: "%{end:sec}t", expected: "1795688093" },
  { format: "%{end:msec_frac}t", expected: "468" },
  {
    format: "%{%a %A %b %B %d %e %H %I %j %m %M %p %S %y %Y %z}t",
    expected: "Thu Thursday Nov November 26 26 10 10 330 11 14 AM 51 26 2026 +0000",
  },
  {
    format: "%{%T %D %F %R %s %u %w %h %%}t",
    expected: "10:14:51 11/26/26 2026-11-26 10:14 1795688091 4 4 Nov %",
  },
  {
    format: "%{%e %I %p %z}t",
    expected: " 5 01 PM +0300",
    record: { startedAt: Date.UTC(2026, 10, 5, 10, 14, 51) },
    options: { ...OPTIONS, utcOffsetMinutes: 180 },
  },
  { format: "%{begin:%d/%b/%Y}t", expected: "26/Nov/2026" },
  { format: "%{end:%H:%M:%S}t", expected: "10:14:53" },
  { format: "%r", expected: "GET /index.html?x=1 HTTP/1.1" },
  { format: "%s", expected: "200" },
  { format: "%>s", expected: "200" },
  { format: "%<s", expected: "200" },
  { format: "%b", expected: "1234" },
  { format: "%b", expected: "-", record: { bodyBytes: 0 } },
  { format: "%B", expected: "1234" },
  { format: "%B", expected: "0", record: { bodyBytes: 0 } },
  { format: "%I", expected: "412" },
  { format: "%O", expected: "1502" },
  { format: "%S", expected: "1914" },
  { format: "%I %O %S", expected: "0 0 0", record: { receivedBytes: 0, sentBytes: 0 } },
  { format: "%b %O", expected: "- 180", record: { bodyBytes: 0, sentBytes: 180 } },
  { format: "%D", expected: "2345000" },
  { format: "%T", expected: "2" },
  { format: "%{s}T", expected: "2" },
  { format: "%{ms}T", expected: "2345" },
  { format: "%{us}T", expected: "2345000" },
  { format: "%{User-Agent}i", expected: "curl/8.0" },
  { format: "%{user-agent}i", expected: "curl/8.0" },
  { format: "%{X-Missing}i", expected: "-" },
  { format: "%{content-type}o", expected: "text/html" },
  { format: "%{Set-Cookie}o", expected: "a=1, b=2" },
  { format: "%{X-Missing}o", expected: "-" },
  { format: "%{session}C", expected: "abc" },
  { format: "%{a}C", expected: "1" },
  { format: "%{missing}C", expected: "-" },
  { format: "%P", expected: "4242" },
  { format: "%{pid}P", expected: "4242" },
  { format: "%{tid}P", expected: "255" },
  { format: "%{hextid}P", expected: "ff" },
  { format: "%v", expected: "example.com" },
  { format: "%V", expected: "www.example.com" },
  {
    format: "%V",
    expected: "[::1]",
    record: { requestHeaders: new Map([["host", "[::1]:8080"]]) },
  },
  { format: "%V", expected: "example.com", record: { requestHeaders: new Map() } },
  { format: "%U", expected: "/index.html" },
  { format: "%q", expected: "?x=1" },
  { format: "%q", expected: "", record: { query: "" } },
  { format: "%m", expected: "GET" },
  { format: "%H", expected: "HTTP/1.1" },
  { format: "%k", expected: "3" },
  { format: "%X", expected: "+" },
  { format: "%X", expected: "X", record: { connectionStatus: "X" } },
  { format: "%p", expected: "8080" },
  { format: "%{canonical}p", expected: "8080" },
  { format: "%{local}p", expected: "8080" },
  { format: "%{remote}p", expected: "51234" },
  { format: "100%% done", expected: "100% done" },
  { format: String.raw`a\tb\nc\\d\qe`, expected: "a\tb\nc\\d\\qe" },
  { format: "%200{User-Agent}i", expected: "curl/8.0" },
  { format: "%404,500{User-Agent}i", expected: "-" },
  { format: "%!200{User-Agent}i", expected: "-" },
  { format: "%!404,500{User-Agent}i", expected: "curl/8.0" },
  { format: "%>400{User-Agent}i", expected: "-" },
  { format: "%h:%p %>s", expected: "203.0.113.7:8080 200" },
];

Deno.test("compileLogFormat() writes each directive", async (t) => {
  for (const c of DIRECTIVES) {
    const name = c.record || c.options ? `${c.format} (${JSON.stringify(c.expected)})` : c.format;
    await t.step(name, () => {
      const format = compileLogFormat(c.format, c.options ?? OPTIONS);
      assert.equal(format({ ...RECORD, ...c.record }), c.expected);
    });
  }
});

Deno.test("compileLogFormat() writes '-' for what a rejected request lacks", () => {
  const format = compileLogFormat('"%r" %m %U%q %H "%{User-Agent}i" %V %k %X %I %O', OPTIONS);
  assert.equal(format(REJECTED), '"-" - - - "-" example.com 0 - 37 371');
});

Deno.test("compileLogFormat() writes common and combined lines exactly", async (t) => {
  await t.step("common", () => {
    assert.equal(
      compileLogFormat(COMMON_LOG_FORMAT, OPTIONS)(RECORD),
      '203.0.113.7 - - [26/Nov/2026:10:14:51 +0000] "GET /index.html?x=1 HTTP/1.1" 200 1234',
    );
  });
  await t.step("combined", () => {
    assert.equal(
      compileLogFormat(COMBINED_LOG_FORMAT, OPTIONS)(RECORD),
      '203.0.113.7 - - [26/Nov/2026:10:14:51 +0000] "GET /index.html?x=1 HTTP/1.1" 200 1234 ' +
        '"http://ref.example/" "curl/8.0"',
    );
  });
  await t.step("Debian's combined, with mod_logio's %O", () => {
    assert.equal(
      compileLogFormat('%h %l %u %t "%r" %>s %O "%{Referer}i" "%{User-Agent}i"', OPTIONS)(RECORD),
      '203.0.113.7 - - [26/Nov/2026:10:14:51 +0000] "GET /index.html?x=1 HTTP/1.1" 200 1502 ' +
        '"http://ref.example/" "curl/8.0"',
    );
  });
  await t.step("rejected request in common", () => {
    assert.equal(
      compileLogFormat(COMMON_LOG_FORMAT, OPTIONS)(REJECTED),
      '203.0.113.7 - - [26/Nov/2026:10:14:51 +0000] "-" 400 226',
    );
  });
  await t.step("nicknames", () => {
    assert.deepEqual(LOG_FORMAT_NICKNAMES, {
      common: '%h %l %u %t "%r" %>s %b',
      combined: '%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i"',
    });
  });
});

Deno.test("compileLogFormat() escapes request-derived text against log injection", async (t) => {
  const hostile: Partial<AccessRecord> = {
    requestLine: 'GET /a"b\\c\x01\xe9 HTTP/1.1',
    path: "/a\nb",
    query: "q=\x7f",
    method: "G\tET",
    requestHeaders: new Map([
      ["user-agent", 'evil"\r\n203.0.113.9 - - [forged]'],
      ["referer", "caf\u00e9 \u20ac"],
      ["host", "EVIL\x1b.example"],
    ]),
    responseHeaders: [["X-Echo", "line1\nline2"]],
  };
  const cases = [
    { format: "%r", expected: 'GET /a\\"b\\\\c\\x01\\xe9 HTTP/1.1' },
    { format: "%U", expected: "/a\\nb" },
    { format: "%q", expected: "?q=\\x7f" },
    { format: "%m", expected: "G\\tET" },
    { format: "%{User-Agent}i", expected: 'evil\\"\\r\\n203.0.113.9 - - [forged]' },
    { format: "%{Referer}i", expected: "caf\\xe9 \\xe2\\x82\\xac" },
    { format: "%V", expected: "evil\\x1b.example" },
    { format: "%{X-Echo}o", expected: "line1\\nline2" },
  ];
  for (const c of cases) {
    await t.step(c.format, () => {
      const line = compileLogFormat(c.format, OPTIONS)({ ...RECORD, ...hostile });
      assert.equal(line, c.expected);
      assert.match(line, /^[\x20-\x7e]*$/);
    });
  }
});

Deno.test("compileLogFormat() caches %t per second without going stale", () => {
  const format = compileLogFormat("%t", OPTIONS);
  assert.equal(format(RECORD), "[26/Nov/2026:10:14:51 +0000]");
  assert.equal(format({ ...RECORD, startedAt: STARTED_AT + 800 }), "[26/Nov/2026:10:14:51 +0000]");
  assert.equal(format({ ...RECORD, startedAt: STARTED_AT + 900 }), "[26/Nov/2026:10:14:52 +0000]");
  assert.equal(format(RECORD), "[26/Nov/2026:10:14:51 +0000]");
});

Deno.test("compileLogFormat() uses the host's time zone by default", () => {
  const line = compileLogFormat("%t", { pid: 1 })(RECORD);
  const offset = -new Date(STARTED_AT).getTimezoneOffset();
  const expected = compileLogFormat("%t", { pid: 1, utcOffsetMinutes: offset })(RECORD);
  assert.equal(line, expected);
  assert.equal(compileLogFormat("%P")(RECORD), String(Deno.pid));
});

const ERRORS = [
  { format: "%Z", message: 'Cannot compile LogFormat "%Z": unknown directive %Z at column 1' },
  {
    format: "%h %Z",
    message: 'Cannot compile LogFormat "%h %Z": unknown directive %Z at column 4',
  },
  {
    format: '%h "%{Referer',
    message: 'Cannot compile LogFormat "%h "%{Referer": unclosed "{" at column 5',
  },
  {
    format: "abc %",
    message: 'Cannot compile LogFormat "abc %": incomplete directive "%" at column 5',
  },
  {
    format: "%{User-Agent}",
    message:
      'Cannot compile LogFormat "%{User-Agent}": incomplete directive "%{User-Agent}" at column 1',
  },
  {
    format: "%^x",
    message: 'Cannot compile LogFormat "%^x": incomplete directive "%^x" at column 1',
  },
  {
    format: "%^zz",
    message: 'Cannot compile LogFormat "%^zz": unknown directive %^zz at column 1',
  },
  {
    format: "%h %e",
    message: 'Cannot compile LogFormat "%h %e": unsupported directive %e ' +
      "(there are no environment variables per request) at column 4",
  },
  {
    format: "%{SSL_CLIENT_S_DN}x",
    message: 'Cannot compile LogFormat "%{SSL_CLIENT_S_DN}x": %{SSL_CLIENT_S_DN}x is not a TLS ' +
      "variable mpmd records (SSL_PROTOCOL, SSL_CIPHER, SSL_TLS_SNI) at column 1",
  },
  {
    format: "%^ti",
    message: 'Cannot compile LogFormat "%^ti": unsupported directive %^ti ' +
      "(request trailers are not recorded) at column 1",
  },
  {
    format: "%i",
    message: 'Cannot compile LogFormat "%i": %i needs a name, as in %{User-Agent}i at column 1',
  },
  {
    format: "%{}o",
    message: 'Cannot compile LogFormat "%{}o": %o needs a name, as in %{Content-Type}o at column 1',
  },
  {
    format: "%{xs}T",
    message: 'Cannot compile LogFormat "%{xs}T": unknown time unit "xs" in %{xs}T ' +
      "(use s, ms or us) at column 1",
  },
  {
    format: "%{%Y %Q}t",
    message:
      'Cannot compile LogFormat "%{%Y %Q}t": unsupported strftime conversion %Q in %{%Y %Q}t at column 1',
  },
  {
    format: "%{foo}P",
    message: 'Cannot compile LogFormat "%{foo}P": unknown argument "foo" in %{foo}P ' +
      "(use pid, tid, hextid) at column 1",
  },
  {
    format: "%{peer}p",
    message: 'Cannot compile LogFormat "%{peer}p": unknown argument "peer" in %{peer}p ' +
      "(use canonical, local, remote) at column 1",
  },
];

Deno.test("compileLogFormat() rejects a bad format with LogFormatError", async (t) => {
  for (const c of ERRORS) {
    await t.step(c.format, () => {
      assert.throws(
        () => compileLogFormat(c.format, OPTIONS),
        (error: unknown) => {
          assert.ok(error instanceof LogFormatError);
          assert.ok(error instanceof SyntaxError);
          assert.equal(error.message, c.message);
          assert.equal(error.format, c.format);
          assert.equal(error.column, Number(/at column (\d+)$/.exec(c.message)?.[1]));
          return true;
        },
      );
    });
  }
});
