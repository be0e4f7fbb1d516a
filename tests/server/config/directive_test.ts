import assert from "node:assert/strict";
import {
  decimal,
  type Directive,
  type DirectiveContext,
  DirectiveValueError,
  duration,
  flag,
  formatSize,
  integer,
  list,
  oneOf,
  path,
  size,
  text,
} from "../../../server/config/mod.ts";

const yaml: DirectiveContext = {
  serverRoot: "/srv",
  syntax: "yaml",
  origin: "mpmd.yaml:1",
  itemOrigin: () => "mpmd.yaml:1",
};
const httpd: DirectiveContext = { ...yaml, syntax: "httpd", origin: "-c argument" };

const info = { name: "X", help: "test" };
const INT = integer({ ...info, default: 1, min: 0, max: 10 });
const DEC = decimal({ ...info, default: 2, above: 0, max: 100 });
const DUR = duration({ ...info, default: 0, minMs: 0 });
const SIZE = size({ ...info, default: 0 });
const FLAG = flag({ ...info, default: true });
const TEXT = text({ ...info, default: "a", pattern: /^[a-z]+$/, expected: "lower-case letters" });
const PATH = path({ ...info, default: "." });
const LIST = list({ ...info, default: [], item: "name", pattern: /^\w+$/ });
const ONE = oneOf({
  ...info,
  default: "Red",
  values: ["Red", "Green"],
  aliases: { verde: "Green" },
});

const CASES: {
  d: Directive<unknown>;
  value: unknown;
  ctx?: DirectiveContext;
  want?: unknown;
  error?: string;
}[] = [
  { d: INT, value: 7, want: 7 },
  { d: INT, value: " 7 ", want: 7 },
  { d: INT, value: "+3", want: 3 },
  { d: INT, value: '"4"', ctx: httpd, want: 4 },
  { d: INT, value: "0x10", error: '"0x10" is not an integer' },
  { d: INT, value: true, error: "true is not an integer" },
  { d: INT, value: 11, error: "11 is above the maximum (10)" },
  { d: INT, value: "-1", error: '"-1" is below the minimum (0)' },
  { d: DEC, value: "0.25", want: 0.25 },
  { d: DEC, value: 100, want: 100 },
  { d: DEC, value: -1, error: "-1 is not above 0" },
  { d: DEC, value: 101, error: "101 is above the maximum (100)" },
  { d: DEC, value: "1,5", error: '"1,5" is not a number' },
  { d: DUR, value: 3, want: 3000 },
  { d: DUR, value: "250ms", want: 250 },
  { d: DUR, value: "250MS", want: 250 },
  { d: DUR, value: "1.5s", want: 1500 },
  { d: DUR, value: "2", ctx: httpd, want: 2000 },
  { d: DUR, value: "2 s", error: '"2 s" is not a duration (seconds, or a number with ms/s)' },
  { d: DUR, value: "1m", error: '"1m" is not a duration (seconds, or a number with ms/s)' },
  { d: DUR, value: 3_000_000, error: "3000000 is above the maximum (2147483s)" },
  { d: SIZE, value: 0, want: 0 },
  { d: SIZE, value: "4096", want: 4096 },
  { d: SIZE, value: "512M", want: 512 * 2 ** 20 },
  { d: SIZE, value: "2g", ctx: httpd, want: 2 * 2 ** 30 },
  { d: SIZE, value: "64k", want: 65_536 },
  { d: SIZE, value: "1.5G", error: '"1.5G" is not a size (bytes, or a number with K, M or G)' },
  { d: SIZE, value: "512MB", error: '"512MB" is not a size (bytes, or a number with K, M or G)' },
  { d: SIZE, value: -1, error: "-1 is not a size (bytes, or a number with K, M or G)" },
  { d: FLAG, value: "OFF", want: false },
  { d: FLAG, value: "'on'", ctx: httpd, want: true },
  { d: FLAG, value: "'on'", error: `"'on'" is not On or Off` },
  { d: FLAG, value: null, error: "an empty value is not On or Off" },
  { d: TEXT, value: "abc", want: "abc" },
  { d: TEXT, value: "ABC", error: '"ABC" is not lower-case letters' },
  { d: TEXT, value: "a b", ctx: httpd, error: '"a b" is more than one value' },
  { d: TEXT, value: "   ", error: "the value is empty" },
  { d: TEXT, value: {}, error: "a map is not a string" },
  { d: PATH, value: "logs/../www/", want: "/srv/www" },
  { d: PATH, value: "/abs", want: "/abs" },
  { d: PATH, value: "'/my dir'", ctx: httpd, want: "/my dir" },
  { d: LIST, value: "a b  c", want: ["a", "b", "c"] },
  { d: LIST, value: ["a", 1], want: ["a", "1"] },
  { d: LIST, value: 5, want: ["5"] },
  { d: LIST, value: ["a", ["b"]], error: "a list in the list is not a name" },
  { d: LIST, value: "a-b", error: '"a-b" is not a name' },
  { d: LIST, value: true, error: "true is not a list of names" },
  { d: ONE, value: "green", want: "Green" },
  { d: ONE, value: "VERDE", want: "Green" },
  { d: ONE, value: "blue", error: '"blue" is not one of Red, Green' },
];

Deno.test("directive builders parse YAML and httpd values", async (t) => {
  for (const c of CASES) {
    const ctx = c.ctx ?? yaml;
    await t.step(`${JSON.stringify(c.value)} (${ctx.syntax})`, () => {
      if (c.error === undefined) {
        assert.deepEqual(c.d.parse(c.value, ctx), c.want);
        return;
      }
      assert.throws(() => c.d.parse(c.value, ctx), (e) => {
        assert.ok(e instanceof DirectiveValueError);
        assert.equal(e.message, c.error);
        return true;
      });
    });
  }
});

Deno.test("list() adds up within a source and is replaced by a later one", () => {
  assert.deepEqual(LIST.combine?.(["a"], ["b"], "same source"), ["a", "b"]);
  assert.deepEqual(LIST.combine?.(["a"], ["b"], "later source"), ["b"]);
  assert.equal(INT.combine, undefined);
});

Deno.test("formatSize() names a size in its largest unit", () => {
  assert.deepEqual(
    [512, 65_536, 512 * 2 ** 20, 1.5 * 2 ** 30].map(formatSize),
    ["512 bytes", "64 KiB", "512 MiB", "1.5 GiB"],
  );
});
