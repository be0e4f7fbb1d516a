/**
 * The compression filters end to end, under prefork and event: a real mpmd serving static files,
 * an app and a proxied backend, real clients (node:http, which never decompresses; curl
 * --compressed), every body decompressed and compared with what was compressed.
 */

import assert from "node:assert/strict";
import http from "node:http";
import { brotliDecompressSync, createGunzip, gunzipSync, gzipSync } from "node:zlib";
import { within } from "../../_deadline.ts";
import { startMpmd } from "../../_server.ts";
import { concatBytes } from "../static/_request.ts";
import { APP_PAGE } from "./_fixtures/compressible_app.ts";
import { startEchoBackend } from "../proxy/_backends.ts";

const APP = new URL("./_fixtures/compressible_app.ts", import.meta.url).pathname;
const DEADLINE_MS = 20_000;
const encoder = new TextEncoder();

/** A page of about 40 KiB: table rows with varying numbers, as a generated page has. */
const PAGE = encoder.encode(
  `<!doctype html><table>${
    Array.from({ length: 600 }, (_, i) => `<tr><td>${i}</td><td>${(i * 7919) % 1000}</td></tr>`)
      .join("\n")
  }</table>\n`,
);
const TINY = encoder.encode("<p>hi</p>\n");
const STYLE = encoder.encode("body { color: black; }\n".repeat(50));

const EVENT_POOL = "event:\n  StartServers: 1\n  ThreadsPerChild: 2\n  MinSpareThreads: 1\n" +
  "  MaxSpareThreads: 3";
const MPMS = [
  {
    name: "prefork",
    appLength: true,
    config: "MPM: prefork\nprefork:\n  StartServers: 1\n  MinSpareServers: 1\n  MaxSpareServers: 2",
  },
  { name: "event", appLength: true, config: `MPM: event\n${EVENT_POOL}` },
  {
    name: "event on the native engine",
    // An app's Response is not read ahead on Deno's engine: its compressed body is chunked.
    appLength: false,
    config: `MPM: event\nHttpEngine: native\n${EVENT_POOL}`,
  },
];

interface Answer {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Uint8Array;
}

/** One request with node:http (no decompression, no keep-alive); the whole answer. */
function request(
  port: number,
  path: string,
  headers: Record<string, string> = {},
  method = "GET",
): Promise<Answer> {
  const answer = new Promise<Answer>((resolve, reject) => {
    const req = http.request(
      { host: "127.0.0.1", port, path, method, headers, agent: false },
      (res) => {
        const chunks: Uint8Array[] = [];
        res.on("data", (chunk: Uint8Array) => chunks.push(chunk));
        res.on(
          "end",
          () =>
            resolve({ status: res.statusCode!, headers: res.headers, body: concatBytes(chunks) }),
        );
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end();
  });
  return within(answer, `answer to ${method} ${path}`, DEADLINE_MS);
}

/**
 * Reads an endless gzip event stream until `wanted` has been decompressed from it, then leaves:
 * what arrives before the end was flushed by the filter as the app wrote it.
 */
function eventsUntil(port: number, path: string, wanted: string): Promise<string> {
  let req: http.ClientRequest | undefined;
  const seen = new Promise<string>((resolve, reject) => {
    req = http.get(
      { host: "127.0.0.1", port, path, headers: { "Accept-Encoding": "gzip" }, agent: false },
      (res) => {
        assert.equal(res.headers["content-encoding"], "gzip");
        let text = "";
        const gunzip = createGunzip();
        gunzip.on("data", (chunk: Uint8Array) => {
          text += new TextDecoder().decode(chunk);
          if (text.includes(wanted)) resolve(text);
        });
        gunzip.on("error", reject);
        res.pipe(gunzip);
      },
    );
    req.on("error", reject);
  });
  return within(seen, `events up to ${JSON.stringify(wanted)}`, DEADLINE_MS)
    .finally(() => req?.destroy());
}

async function site(): Promise<{ readonly dir: string } & AsyncDisposable> {
  const dir = await Deno.makeTempDir({ prefix: "mpmd-compression-" });
  await Deno.writeFile(`${dir}/page.html`, PAGE);
  await Deno.writeFile(`${dir}/tiny.html`, TINY);
  await Deno.writeFile(`${dir}/style.css`, STYLE);
  // A precompressed sibling: the static module sends it already encoded.
  await Deno.writeFile(`${dir}/style.css.gz`, gzipSync(STYLE));
  return { dir, [Symbol.asyncDispose]: () => Deno.remove(dir, { recursive: true }) };
}

const decode = (body: Uint8Array, coding: string | undefined): Uint8Array =>
  new Uint8Array(
    coding === "gzip" ? gunzipSync(body) : coding === "br" ? brotliDecompressSync(body) : body,
  );

for (const { name, config, appLength } of MPMS) {
  Deno.test(`${name}: AddOutputFilterByType compresses what it should and leaves the rest`, async (t) => {
    await using root = await site();
    await using backend = await startEchoBackend();
    await using server = await startMpmd([
      "Listen: 127.0.0.1:0",
      `DocumentRoot: ${root.dir}`,
      "AddOutputFilterByType:",
      "  - BROTLI_COMPRESS;DEFLATE text/html text/css application/json text/event-stream",
      "  - DEFLATE application/octet-stream",
      `ProxyPass: ["/backend ${backend.origin}/"]`,
      "App:",
      "  - Location: /app",
      `    Module: ${APP}`,
      config,
    ].join("\n"));
    const port = server.port;

    for (const [accept, coding] of [["gzip", "gzip"], ["gzip, deflate, br", "br"]]) {
      await t.step(
        `a static page, Accept-Encoding: ${accept} → ${coding}, once and again`,
        async () => {
          for (let i = 0; i < 2; i++) {
            const answer = await request(port, "/page.html", { "Accept-Encoding": accept! });
            assert.equal(answer.status, 200);
            assert.equal(answer.headers["content-encoding"], coding);
            assert.equal(answer.headers["vary"], "Accept-Encoding");
            assert.equal(Number(answer.headers["content-length"]), answer.body.length);
            assert.ok(answer.body.length < PAGE.length / 2);
            assert.match(answer.headers["etag"]!, new RegExp(`^"[0-9a-f]+-[0-9a-f]+-${coding}"$`));
            assert.equal(answer.headers["accept-ranges"], undefined);
            assert.deepEqual(decode(answer.body, coding), PAGE);
          }
        },
      );
    }

    await t.step("a proxied answer is compressed as it streams through", async () => {
      // 1 MiB from the backend with a Content-Length: sent on compressed, chunked.
      const big = await request(port, "/backend/bytes/1048576", { "Accept-Encoding": "gzip" });
      assert.equal(big.status, 200);
      assert.equal(big.headers["content-encoding"], "gzip");
      assert.equal(big.headers["content-length"], undefined);
      assert.ok(big.body.length < 64 * 1024);
      assert.deepEqual(decode(big.body, "gzip"), new Uint8Array(1048576).fill(0x78));
      const json = await request(port, "/backend/api", { "Accept-Encoding": "br" });
      assert.equal(json.headers["content-encoding"], "br");
      assert.equal(json.headers["vary"], "Accept-Encoding");
      const echo = JSON.parse(new TextDecoder().decode(decode(json.body, "br")));
      assert.equal(echo.url, "/api");
    });

    await t.step("HEAD gets GET's fields, the compressed length included", async () => {
      const headers = { "Accept-Encoding": "gzip" };
      const get = await request(port, "/page.html", headers);
      const head = await request(port, "/page.html", headers, "HEAD");
      assert.equal(head.body.length, 0);
      for (const name of ["content-encoding", "content-length", "etag", "vary"]) {
        assert.equal(head.headers[name], get.headers[name], name);
      }
    });

    await t.step("the suffixed ETag revalidates: 304 with that ETag and Vary", async () => {
      const first = await request(port, "/page.html", { "Accept-Encoding": "gzip" });
      const etag = first.headers["etag"]!;
      const again = await request(port, "/page.html", {
        "Accept-Encoding": "gzip",
        "If-None-Match": etag,
      });
      assert.equal(again.status, 304);
      assert.equal(again.headers["etag"], etag);
      assert.equal(again.headers["vary"], "Accept-Encoding");
      assert.equal(again.body.length, 0);
    });

    const IDENTITY_WITH_VARY = [
      { name: "no Accept-Encoding", headers: {} },
      { name: "gzip;q=0, br;q=0", headers: { "Accept-Encoding": "gzip;q=0, br;q=0" } },
      { name: "identity only", headers: { "Accept-Encoding": "identity, *;q=0" } },
    ];
    for (const c of IDENTITY_WITH_VARY) {
      await t.step(`${c.name}: the identity page, with Vary`, async () => {
        const answer = await request(port, "/page.html", c.headers);
        assert.equal(answer.headers["content-encoding"], undefined);
        assert.equal(answer.headers["vary"], "Accept-Encoding");
        assert.deepEqual(answer.body, PAGE);
      });
    }

    const UNTOUCHED = [
      { name: "a body below DeflateMinLength", path: "/tiny.html", headers: {}, body: TINY },
      {
        name: "a Range request (206 of the identity bytes)",
        path: "/page.html",
        headers: { Range: "bytes=0-9" },
        body: PAGE.subarray(0, 10),
      },
      {
        name: "an answer already encoded by the app",
        path: "/app/encoded",
        headers: {},
        body: new Uint8Array(gzipSync(encoder.encode(APP_PAGE))),
        encoding: "gzip",
      },
      {
        name: "Cache-Control: no-transform",
        path: "/app/no-transform",
        headers: {},
        body: encoder.encode(APP_PAGE),
      },
    ];
    for (const c of UNTOUCHED) {
      await t.step(`untouched, without Vary: ${c.name}`, async () => {
        const answer = await request(port, c.path, { "Accept-Encoding": "gzip", ...c.headers });
        assert.equal(answer.headers["content-encoding"], c.encoding);
        assert.equal(answer.headers["vary"], undefined);
        assert.deepEqual(decode(answer.body, c.encoding), decode(c.body, c.encoding));
      });
    }

    await t.step("a precompressed sibling is sent as it is, not compressed again", async () => {
      const answer = await request(port, "/style.css", { "Accept-Encoding": "gzip" });
      assert.equal(answer.headers["content-encoding"], "gzip");
      assert.deepEqual(decode(answer.body, "gzip"), STYLE);
    });

    await t.step(
      "an app's whole body is compressed, with its Content-Length where it is known",
      async () => {
        const answer = await request(port, "/app/json", { "Accept-Encoding": "br" });
        assert.equal(answer.headers["content-encoding"], "br");
        if (appLength) assert.equal(Number(answer.headers["content-length"]), answer.body.length);
        else assert.equal(answer.headers["transfer-encoding"], "chunked");
        const json = JSON.parse(new TextDecoder().decode(brotliDecompressSync(answer.body)));
        assert.equal(json.items.length, 200);
      },
    );

    await t.step("an error page is compressed too, as httpd does", async () => {
      const answer = await request(port, "/missing.html", { "Accept-Encoding": "gzip" });
      assert.equal(answer.status, 404);
      assert.equal(answer.headers["content-encoding"], "gzip");
      assert.match(new TextDecoder().decode(gunzipSync(answer.body)), /Not Found/);
    });

    await t.step(
      "an app's event stream: each event arrives, compressed, before the end",
      async () => {
        const text = await eventsUntil(port, "/app/events", "data: two\n\n");
        assert.equal(text, "data: one\n\ndata: two\n\n");
      },
    );

    await t.step("curl --compressed reads the same page", async () => {
      const out = await new Deno.Command("curl", {
        args: [
          "-s",
          "--compressed",
          "-w",
          "\n%{content_type} %{size_download}",
          `${server.origin}/page.html`,
        ],
      }).output();
      const text = new TextDecoder().decode(out.stdout);
      const at = text.lastIndexOf("\n");
      assert.equal(text.slice(0, at), new TextDecoder().decode(PAGE));
      assert.ok(Number(text.slice(at).split(" ")[1]) < PAGE.length / 2, text.slice(at));
    });
  });
}
