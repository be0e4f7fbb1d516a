import assert from "node:assert/strict";
import {
  contentTypeFor,
  FALLBACK_MEDIA_TYPE,
  type MediaTypeSettings,
} from "../../../modules/static/_media_type.ts";

/** No AddType, TypesConfig, AddCharset, ForceType or AddDefaultCharset. */
const NONE: MediaTypeSettings = {
  addType: {},
  types: {},
  addCharset: {},
  forceType: null,
  addDefaultCharset: null,
};

Deno.test("contentTypeFor() resolves collisions in mime-db by source", async (t) => {
  const plain = { ...NONE };
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
        contentTypeFor(c.name, { ...NONE, addType: c.addType, addDefaultCharset: c.charset }),
        c.type,
      );
    });
  }
});

Deno.test("contentTypeFor(): AddType over TypesConfig over the built-in table", async (t) => {
  const settings = {
    ...NONE,
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

Deno.test("contentTypeFor() applies AddCharset and ForceType as mod_mime and core do", async (t) => {
  const addCharset = { utf8: "UTF-8", json: "utf-8", ru: "koi8-r" };
  const CASES: { name: string; settings: Partial<MediaTypeSettings>; type: string }[] = [
    { name: "a.json", settings: { addCharset }, type: "application/json; charset=utf-8" },
    { name: "a.JSON", settings: { addCharset }, type: "application/json; charset=utf-8" },
    // Any extension of the name counts; the type is still the last one's.
    { name: "notes.utf8.txt", settings: { addCharset }, type: "text/plain; charset=UTF-8" },
    { name: "a.ru.utf8", settings: { addCharset }, type: `${FALLBACK_MEDIA_TYPE}; charset=UTF-8` },
    { name: "utf8", settings: { addCharset }, type: FALLBACK_MEDIA_TYPE },
    { name: ".utf8", settings: { addCharset }, type: FALLBACK_MEDIA_TYPE },
    {
      name: "a.txt",
      settings: { addCharset: { txt: "UTF-8" }, addType: { txt: "text/plain;charset=latin1" } },
      type: "text/plain;charset=latin1",
    },
    // AddCharset first: AddDefaultCharset only fills a type that has none.
    {
      name: "a.utf8.html",
      settings: { addCharset, addDefaultCharset: "iso-8859-1" },
      type: "text/html; charset=UTF-8",
    },
    { name: "a.png", settings: { forceType: "text/plain" }, type: "text/plain" },
    { name: "a.json", settings: { forceType: "text/plain", addCharset }, type: "text/plain" },
    {
      name: "a.png",
      settings: { forceType: "text/html", addDefaultCharset: "utf-8" },
      type: "text/html; charset=utf-8",
    },
    { name: "README", settings: { forceType: "text/markdown" }, type: "text/markdown" },
  ];
  for (const c of CASES) {
    await t.step(`${c.name} ${JSON.stringify(c.settings)} → ${c.type}`, () => {
      assert.equal(contentTypeFor(c.name, { ...NONE, ...c.settings }), c.type);
    });
  }
});
