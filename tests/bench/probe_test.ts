import assert from "node:assert/strict";
import { gzipSync } from "node:zlib";
import {
  dechunk,
  type ExpectedFile,
  gzipMismatch,
  parseProbeResponse,
  probeMismatch,
} from "../../bench/mod.ts";

const encoder = new TextEncoder();
const BODY = encoder.encode("x".repeat(1023) + "\n");
const EXPECTED: ExpectedFile = { path: "/1k.txt", body: BODY, mediaType: "text/plain" };

function response(head: string, body: Uint8Array = BODY): Uint8Array {
  const headBytes = encoder.encode(head.replaceAll("\n", "\r\n") + "\r\n\r\n");
  const all = new Uint8Array(headBytes.length + body.length);
  all.set(headBytes);
  all.set(body, headBytes.length);
  return all;
}

const OK_HEAD = "HTTP/1.1 200 OK\nContent-Type: text/plain\nContent-Length: 1024";

Deno.test("parseProbeResponse()", async (t) => {
  await t.step("reads status, lower-cased headers and body", () => {
    const parsed = parseProbeResponse(response(`${OK_HEAD}\nServer: nginx`));
    assert.ok(parsed);
    assert.equal(parsed.status, 200);
    assert.equal(parsed.headers.get("content-length"), "1024");
    assert.equal(parsed.headers.get("server"), "nginx");
    assert.deepEqual(parsed.body, BODY);
  });
  await t.step("returns null for a head cut short", () => {
    assert.equal(parseProbeResponse(encoder.encode("HTTP/1.1 200 OK\r\nContent-Le")), null);
  });
  await t.step("returns null for something that is not HTTP/1.x", () => {
    assert.equal(parseProbeResponse(response("SSH-2.0-OpenSSH_9.2")), null);
  });
});

Deno.test("probeMismatch()", async (t) => {
  const CASES = [
    { name: "accepts the exact file", head: OK_HEAD, body: BODY, want: null },
    {
      name: "accepts a charset parameter",
      head: OK_HEAD.replace("text/plain", "text/plain; charset=UTF-8"),
      body: BODY,
      want: null,
    },
    {
      name: "rejects a 404",
      head: "HTTP/1.1 404 Not Found\nContent-Type: text/html\nContent-Length: 9",
      body: encoder.encode("not found"),
      want: "status 404, expected 200",
    },
    {
      name: "rejects chunked encoding (no Content-Length)",
      head: "HTTP/1.1 200 OK\nContent-Type: text/plain\nTransfer-Encoding: chunked",
      body: BODY,
      want: "Content-Length missing, expected 1024",
    },
    {
      name: "rejects another media type",
      head: OK_HEAD.replace("text/plain", "application/octet-stream"),
      body: BODY,
      want: 'Content-Type "application/octet-stream", expected text/plain',
    },
    {
      name: "rejects a body that differs",
      head: OK_HEAD,
      body: encoder.encode("y".repeat(1024)),
      want: "body of 1024 bytes differs from the file",
    },
  ];
  for (const c of CASES) {
    await t.step(c.name, () => {
      const parsed = parseProbeResponse(response(c.head, c.body));
      assert.ok(parsed);
      assert.equal(probeMismatch(parsed, EXPECTED), c.want);
    });
  }
});

/** `body` in chunks of `size` bytes, then the last chunk. */
function chunked(body: Uint8Array, size: number): Uint8Array {
  const parts: Uint8Array[] = [];
  for (let at = 0; at < body.length; at += size) {
    const piece = body.subarray(at, at + size);
    parts.push(
      encoder.encode(`${piece.length.toString(16)};ext=1\r\n`),
      piece,
      encoder.encode("\r\n"),
    );
  }
  parts.push(encoder.encode("0\r\n\r\n"));
  return Uint8Array.from(parts.flatMap((part) => [...part]));
}

Deno.test("dechunk()", async (t) => {
  await t.step("joins the chunks", () => assert.deepEqual(dechunk(chunked(BODY, 100)), BODY));
  await t.step("returns null for a cut body", () => {
    assert.equal(dechunk(chunked(BODY, 100).subarray(0, 50)), null);
  });
  await t.step("returns null for a size that is not hex", () => {
    assert.equal(dechunk(encoder.encode("zz\r\nabc\r\n0\r\n\r\n")), null);
  });
});

Deno.test("gzipMismatch()", async (t) => {
  const gzipped = new Uint8Array(gzipSync(BODY));
  const GZIP_HEAD = "HTTP/1.1 200 OK\nContent-Type: text/plain\nContent-Encoding: gzip";
  const CASES = [
    {
      name: "accepts the file gzipped, with a length",
      head: `${GZIP_HEAD}\nContent-Length: ${gzipped.length}`,
      body: gzipped,
      want: { gzipBytes: gzipped.length },
    },
    {
      name: "accepts the file gzipped and chunked (nginx)",
      head: `${GZIP_HEAD}\nTransfer-Encoding: chunked`,
      body: chunked(gzipped, 7),
      want: { gzipBytes: gzipped.length },
    },
    {
      name: "rejects the file sent as it is",
      head: OK_HEAD,
      body: BODY,
      want: { mismatch: "Content-Encoding missing, not gzip" },
    },
    {
      name: "rejects gzip of other bytes",
      head: GZIP_HEAD,
      body: new Uint8Array(gzipSync(encoder.encode("other"))),
      want: { mismatch: "a body that gunzips to other bytes" },
    },
  ];
  for (const c of CASES) {
    await t.step(c.name, () => {
      const parsed = parseProbeResponse(response(c.head, c.body));
      assert.ok(parsed);
      assert.deepEqual(gzipMismatch(parsed, EXPECTED), c.want);
    });
  }
});
