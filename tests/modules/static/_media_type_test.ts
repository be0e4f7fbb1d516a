import assert from "node:assert/strict";
import { contentTypeFor, FALLBACK_MEDIA_TYPE } from "../../../modules/static/_media_type.ts";

Deno.test("contentTypeFor() resolves collisions in mime-db by source", async (t) => {
  const plain = { addType: {}, types: {}, addDefaultCharset: null };
  const cases = [
    { name: "a.js", type: "text/javascript" },
    { name: "a.mjs", type: "text/javascript" },
    { name: "a.mp4", type: "video/mp4" },
    { name: "a.xml", type: "text/xml" },
    { name: "a.exe", type: "application/octet-stream" },
    { name: "a.wav", type: "audio/x-wav" },
    { name: "a.png", type: "image/png" },
    { name: "a.svg", type: "image/svg+xml" },
    { name: "a.wasm", type: "application/wasm" },
    { name: "a.woff2", type: "font/woff2" },
    { name: "a.tar.gz", type: "application/gzip" },
    { name: "A.PNG", type: "image/png" },
    { name: ".png", type: FALLBACK_MEDIA_TYPE },
    { name: "png", type: FALLBACK_MEDIA_TYPE },
    { name: "a.", type: FALLBACK_MEDIA_TYPE },
    { name: "a.toString", type: FALLBACK_MEDIA_TYPE },
  ];
  for (const c of cases) {
    await t.step(
      `${c.name} → ${c.type}`,
      () => assert.equal(contentTypeFor(c.name, plain), c.type),
    );
  }
});

Deno.test("contentTypeFor() applies AddType and AddDefaultCharset", async (t) => {
  const cases = [
    { name: "a.txt", addType: {}, charset: "utf-8", type: "text/plain; charset=utf-8" },
    { name: "a.html", addType: {}, charset: "utf-8", type: "text/html; charset=utf-8" },
    { name: "a.css", addType: {}, charset: "utf-8", type: "text/css" },
    { name: "a.php", addType: { php: "text/html" }, charset: null, type: "text/html" },
    {
      name: "a.PHP",
      addType: { php: "text/html" },
      charset: "utf-8",
      type: "text/html; charset=utf-8",
    },
    {
      name: "a.txt",
      addType: { txt: "text/plain;charset=latin1" },
      charset: "utf-8",
      type: "text/plain;charset=latin1",
    },
    { name: "a.constructor", addType: {}, charset: null, type: FALLBACK_MEDIA_TYPE },
  ];
  for (const c of cases) {
    await t.step(`${c.name} ${JSON.stringify(c.addType)} ${c.charset}`, () => {
      assert.equal(
        contentTypeFor(c.name, { addType: c.addType, types: {}, addDefaultCharset: c.charset }),
        c.type,
      );
    });
  }
});

Deno.test("contentTypeFor(): AddType over TypesConfig over the built-in table", async (t) => {
  const settings = {
    addType: { foo: "text/x-added" },
    types: { foo: "text/x-file", bar: "text/x-file", png: "image/x-from-file" },
    addDefaultCharset: null,
  };
  const CASES = [
    ["a.foo", "text/x-added"],
    ["a.bar", "text/x-file"],
    ["a.png", "image/x-from-file"],
    ["a.css", "text/css"],
  ] as const;
  for (const [name, type] of CASES) {
    await t.step(`${name} → ${type}`, () => assert.equal(contentTypeFor(name, settings), type));
  }
});
