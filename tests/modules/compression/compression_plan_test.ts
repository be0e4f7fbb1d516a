import assert from "node:assert/strict";
import { type CompressionConfig, DEFAULT_COMPRESSION } from "../../../server/config/mod.ts";
import {
  type CompressionInput,
  planCompression,
  withUnsuffixedTags,
} from "../../../modules/compression/mod.ts";

const CONFIG: CompressionConfig = {
  ...DEFAULT_COMPRESSION,
  byType: [
    { filters: ["BROTLI_COMPRESS", "DEFLATE"], types: ["text/html"] },
    { filters: ["DEFLATE"], types: ["application/json"] },
  ],
};

const HTML: [string, string][] = [
  ["Content-Type", "text/html; charset=utf-8"],
  ["ETag", '"2a-5f"'],
  ["Content-Length", "1000"],
  ["Accept-Ranges", "bytes"],
];

/** A GET of a 1000-byte HTML answer by a client accepting gzip and br, changed by `over`. */
function input(over: Partial<CompressionInput> & { accept?: string; request?: object }) {
  const requestHeaders = new Map<string, string>(Object.entries(over.request ?? {}));
  if (over.accept !== undefined) requestHeaders.set("accept-encoding", over.accept);
  return {
    method: "GET",
    requestHeaders,
    status: 200,
    headers: HTML,
    bodyBytes: 1000,
    revalidatesEncoded: false,
    config: CONFIG,
    ...over,
  };
}

const VARIED: [string, string][] = [
  ["Content-Type", "text/html; charset=utf-8"],
  ["ETag", '"2a-5f"'],
  ["Content-Length", "1000"],
  ["Accept-Ranges", "bytes"],
  ["Vary", "Accept-Encoding"],
];
const GZIP: [string, string][] = [
  ["Content-Type", "text/html; charset=utf-8"],
  ["ETag", '"2a-5f-gzip"'],
  ["Vary", "Accept-Encoding"],
  ["Content-Encoding", "gzip"],
];
const BR: [string, string][] = GZIP.map(([name, value]) =>
  [name, value.replace("gzip", "br")] as [string, string]
);

const CASES: {
  readonly name: string;
  readonly input: ReturnType<typeof input>;
  readonly want: ReturnType<typeof planCompression>;
}[] = [
  {
    name: "gzip for a client that accepts only gzip",
    input: input({ accept: "gzip" }),
    want: { kind: "rewrite", headers: GZIP, coding: "gzip" },
  },
  {
    name: "br over gzip at equal weight",
    input: input({ accept: "gzip, deflate, br" }),
    want: { kind: "rewrite", headers: BR, coding: "br" },
  },
  {
    name: "gzip when it weighs more",
    input: input({ accept: "br;q=0.5, gzip" }),
    want: { kind: "rewrite", headers: GZIP, coding: "gzip" },
  },
  {
    name: "identity with Vary when the client refuses both (q=0)",
    input: input({ accept: "gzip;q=0, br;q=0" }),
    want: { kind: "rewrite", headers: VARIED, coding: null },
  },
  {
    name: "identity with Vary without Accept-Encoding",
    input: input({}),
    want: { kind: "rewrite", headers: VARIED, coding: null },
  },
  {
    name: "only the type's filters: gzip for JSON whatever br weighs",
    input: input({ accept: "br, gzip;q=0.1", headers: [["content-type", "application/json"]] }),
    want: {
      kind: "rewrite",
      headers: [["content-type", "application/json"], ["Vary", "Accept-Encoding"], [
        "Content-Encoding",
        "gzip",
      ]],
      coding: "gzip",
    },
  },
  {
    name: "untouched: a type no filter names (no Vary)",
    input: input({ accept: "gzip", headers: [["Content-Type", "image/png"]] }),
    want: { kind: "untouched" },
  },
  {
    name: "untouched: no Content-Type and no SetOutputFilter",
    input: input({ accept: "gzip", headers: [] }),
    want: { kind: "untouched" },
  },
  {
    name: "SetOutputFilter: any type, none too",
    input: input({ accept: "gzip", headers: [], config: { ...CONFIG, always: ["DEFLATE"] } }),
    want: {
      kind: "rewrite",
      headers: [["Vary", "Accept-Encoding"], ["Content-Encoding", "gzip"]],
      coding: "gzip",
    },
  },
  {
    name: "untouched: a body below DeflateMinLength",
    input: input({ accept: "gzip", bodyBytes: 68 }),
    want: { kind: "untouched" },
  },
  {
    name: "a body of DeflateMinLength bytes is compressed",
    input: input({ accept: "gzip", bodyBytes: 69 }),
    want: { kind: "rewrite", headers: GZIP, coding: "gzip" },
  },
  {
    name: "a body of unknown length is compressed",
    input: input({ accept: "gzip", bodyBytes: null }),
    want: { kind: "rewrite", headers: GZIP, coding: "gzip" },
  },
  {
    name: "untouched: a 206",
    input: input({ accept: "gzip", status: 206 }),
    want: { kind: "untouched" },
  },
  {
    name: "untouched: a Content-Range",
    input: input({ accept: "gzip", headers: [...HTML, ["Content-Range", "bytes */1000"]] }),
    want: { kind: "untouched" },
  },
  {
    name: "untouched: a Range request, whatever the answer",
    input: input({ accept: "gzip", request: { range: "bytes=0-1" } }),
    want: { kind: "untouched" },
  },
  {
    name: "untouched: a 204",
    input: input({ accept: "gzip", status: 204, bodyBytes: null }),
    want: { kind: "untouched" },
  },
  {
    name: "untouched: already encoded",
    input: input({ accept: "gzip", headers: [...HTML, ["Content-Encoding", "br"]] }),
    want: { kind: "untouched" },
  },
  {
    name: "Content-Encoding: identity is replaced",
    input: input({ accept: "gzip", headers: [...HTML, ["Content-Encoding", "identity"]] }),
    want: { kind: "rewrite", headers: GZIP, coding: "gzip" },
  },
  {
    name: "untouched: Cache-Control no-transform",
    input: input({
      accept: "gzip",
      headers: [...HTML, ["Cache-Control", "public, No-Transform"]],
    }),
    want: { kind: "untouched" },
  },
  {
    name: "an error page is compressed (as httpd does)",
    input: input({ accept: "gzip", status: 404 }),
    want: { kind: "rewrite", headers: GZIP, coding: "gzip" },
  },
  {
    name: "HEAD: the same fields as GET",
    input: input({ accept: "gzip", method: "HEAD" }),
    want: { kind: "rewrite", headers: GZIP, coding: "gzip" },
  },
  {
    name: "a 304 of a type the filters name: Vary and the suffixed ETag, no Content-Encoding",
    input: input({
      accept: "gzip",
      status: 304,
      bodyBytes: null,
      headers: [["Content-Type", "text/html"], ["ETag", '"2a-5f"']],
    }),
    want: {
      kind: "rewrite",
      headers: [["Content-Type", "text/html"], ["ETag", '"2a-5f-gzip"'], [
        "Vary",
        "Accept-Encoding",
      ]],
      coding: null,
    },
  },
  {
    name: "a 304 without a type, revalidating what the filters sent",
    input: input({
      accept: "br",
      status: 304,
      bodyBytes: null,
      headers: [["ETag", '"2a-5f"']],
      revalidatesEncoded: true,
    }),
    want: {
      kind: "rewrite",
      headers: [["ETag", '"2a-5f-br"'], ["Vary", "Accept-Encoding"]],
      coding: null,
    },
  },
  {
    name: "untouched: a 304 without a type, revalidating an identity answer",
    input: input({ accept: "br", status: 304, bodyBytes: null, headers: [["ETag", '"2a-5f"']] }),
    want: { kind: "untouched" },
  },
  {
    name: "Vary merged into the answer's own; a weak ETag suffixed too",
    input: input({
      accept: "gzip",
      headers: [["Content-Type", "text/html"], ["vary", "Cookie"], ["ETag", 'W/"x"']],
    }),
    want: {
      kind: "rewrite",
      headers: [["Content-Type", "text/html"], ["vary", "Cookie, Accept-Encoding"], [
        "ETag",
        'W/"x-gzip"',
      ], ["Content-Encoding", "gzip"]],
      coding: "gzip",
    },
  },
  {
    name: "Vary: * and a Vary naming Accept-Encoding stay as they are",
    input: input({
      accept: "gzip",
      headers: [["Content-Type", "text/html"], ["Vary", "accept-encoding"]],
    }),
    want: {
      kind: "rewrite",
      headers: [["Content-Type", "text/html"], ["Vary", "accept-encoding"], [
        "Content-Encoding",
        "gzip",
      ]],
      coding: "gzip",
    },
  },
  {
    name: "DeflateAlterETag Remove drops the ETag; NoChange keeps it",
    input: input({ accept: "gzip", config: { ...CONFIG, deflateAlterETag: "Remove" } }),
    want: { kind: "rewrite", headers: GZIP.filter(([n]) => n !== "ETag"), coding: "gzip" },
  },
  {
    name: "BrotliAlterETag NoChange keeps the ETag",
    input: input({ accept: "br", config: { ...CONFIG, brotliAlterETag: "NoChange" } }),
    want: {
      kind: "rewrite",
      headers: BR.map(([n, v]) => [n, n === "ETag" ? '"2a-5f"' : v] as [string, string]),
      coding: "br",
    },
  },
];

Deno.test("planCompression()", async (t) => {
  for (const c of CASES) {
    await t.step(c.name, () => assert.deepEqual(planCompression(c.input), c.want));
  }
});

Deno.test("withUnsuffixedTags()", async (t) => {
  const ROWS: [string, CompressionConfig, string | null][] = [
    ['"a-gzip"', CONFIG, '"a-gzip", "a"'],
    ['"a-br", W/"b-gzip", "c"', CONFIG, '"a-br", W/"b-gzip", "c", "a", W/"b"'],
    ['"a"', CONFIG, null],
    ['"-gzip"', CONFIG, null],
    ["*", CONFIG, null],
    ['"a-gzip"', { ...CONFIG, deflateAlterETag: "NoChange" }, null],
  ];
  for (const [list, config, want] of ROWS) {
    await t.step(`${list} (DeflateAlterETag ${config.deflateAlterETag})`, () => {
      assert.equal(withUnsuffixedTags(list, config), want);
    });
  }
});
