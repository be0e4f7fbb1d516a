/**
 * A DocumentRoot tree in a temp dir for the static-handler tests (and for replaying the
 * traversal cases against the full server):
 *
 * ```
 * <dir>/secret.txt                 outside the root: holds `secret`
 * <dir>/outside/secret2.txt        outside the root: holds `secret`
 * <dir>/root/                      DocumentRoot
 *   index.html  hello.txt  one-k.bin (1 KiB)  large.bin (> 256 KiB)  empty.txt
 *   data.json  page.HTML  notes.md  archive.unknownext  noext
 *   style.css + .br + .gz     app.js + .gz     with space é.txt
 *   sub/index.html  sub/index.htm  sub/.htaccess  sub/deeper/x.txt
 *   order/index.htm  order/default.html
 *   noindex/  (a.txt, b dir/, .hidden, <script>x.txt, quote"'&.txt, z.txt, link-out.txt)
 *   .htaccess  .htpasswd  .env  .git/config
 *   link-in.txt -> hello.txt        link-out.txt -> ../secret.txt
 *   link-outdir -> ../outside       link-indir -> sub
 * ```
 *
 * @module
 */

import { brotliCompressSync, gzipSync } from "node:zlib";
import {
  DEFAULT_AUTOINDEX,
  DEFAULT_COMPRESSION,
  DEFAULT_PROXY_CONFIG,
  type HostConfig,
} from "../../../server/config/mod.ts";
import type { Logger, LogLevel } from "../../../server/log/mod.ts";

/** The fixture tree and what the tests compare against. */
export interface StaticFixture extends AsyncDisposable {
  /** The temp dir holding everything. */
  readonly dir: string;
  /** DocumentRoot. */
  readonly root: string;
  /** Content of every file outside the root: must never appear in a response. */
  readonly secret: string;
  readonly oneK: Uint8Array;
  /** Content of `large.bin`, bigger than the default in-memory limit and not chunk-aligned. */
  readonly large: Uint8Array;
  /** `style.css` and its two precompressed siblings. */
  readonly css: {
    readonly identity: Uint8Array;
    readonly br: Uint8Array;
    readonly gzip: Uint8Array;
  };
  /** `app.js` and its gzip sibling (it has no `.br`). */
  readonly js: { readonly identity: Uint8Array; readonly gzip: Uint8Array };
  /** A HostConfig for the root, httpd's defaults unless overridden. */
  host(overrides?: Partial<HostConfig>): HostConfig;
}

/** Size of `large.bin`: four times the default cache limit plus an odd tail. */
export const LARGE_FILE_BYTES = 4 * 256 * 1024 + 12_345;

const encoder = new TextEncoder();

/** Deterministic bytes that differ at every offset pattern a slicing bug could hide behind. */
export function patternBytes(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed >>> 0;
  for (let i = 0; i < length; i++) {
    x = (Math.imul(x, 1_664_525) + 1_013_904_223) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

/** Builds a fresh fixture tree; dispose it to remove the temp dir. */
export async function createStaticFixture(): Promise<StaticFixture> {
  const dir = await Deno.makeTempDir({ prefix: "mpmd_static_" });
  const root = `${dir}/root`;
  const secret = `TOP-SECRET-${crypto.randomUUID()}`;
  const oneK = patternBytes(1024, 1);
  const large = patternBytes(LARGE_FILE_BYTES, 2);
  const cssText = encoder.encode("body { color: #333; background: white; }\n".repeat(20));
  // Copied out of node's Buffer so that deepEqual compares them with plain Uint8Arrays.
  const css = {
    identity: cssText,
    br: new Uint8Array(brotliCompressSync(cssText)),
    gzip: new Uint8Array(gzipSync(cssText)),
  };
  const jsText = encoder.encode("export const answer = 42;\n".repeat(20));
  const js = { identity: jsText, gzip: new Uint8Array(gzipSync(jsText)) };

  const files: Record<string, string | Uint8Array> = {
    "secret.txt": secret,
    "outside/secret2.txt": secret,
    "root/index.html": "<h1>home</h1>\n",
    "root/hello.txt": "hello world\n",
    "root/one-k.bin": oneK,
    "root/large.bin": large,
    "root/empty.txt": "",
    "root/data.json": '{"ok":true}\n',
    "root/page.HTML": "<p>upper</p>\n",
    "root/notes.md": "# notes\n",
    "root/archive.unknownext": "???",
    "root/noext": "no extension",
    "root/style.css": css.identity,
    "root/style.css.br": css.br,
    "root/style.css.gz": css.gzip,
    "root/app.js": js.identity,
    "root/app.js.gz": js.gzip,
    "root/with space é.txt": "spaced and accented\n",
    "root/sub/index.html": "<h1>sub</h1>\n",
    "root/sub/index.htm": "<h1>sub htm</h1>\n",
    "root/sub/.htaccess": "Require all denied\n",
    "root/sub/deeper/x.txt": "x\n",
    "root/order/index.htm": "<p>index.htm</p>\n",
    "root/order/default.html": "<p>default.html</p>\n",
    "root/noindex/a.txt": "a",
    "root/noindex/b dir/inner.txt": "inner",
    "root/noindex/.hidden": "hidden",
    "root/noindex/<script>x.txt": "xss",
    "root/noindex/quote\"'&.txt": "quote",
    "root/noindex/z.txt": "zzz",
    "root/.htaccess": "Require all denied\n",
    "root/.htpasswd": "admin:$apr1$secret\n",
    "root/.env": `TOKEN=${secret}\n`,
    "root/.git/config": `[core]\n# ${secret}\n`,
  };
  for (const [name, content] of Object.entries(files)) {
    const path = `${dir}/${name}`;
    await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), { recursive: true });
    await Deno.writeFile(path, typeof content === "string" ? encoder.encode(content) : content);
  }
  await Deno.symlink("hello.txt", `${root}/link-in.txt`);
  await Deno.symlink("../secret.txt", `${root}/link-out.txt`);
  await Deno.symlink("../outside", `${root}/link-outdir`);
  await Deno.symlink("sub", `${root}/link-indir`);
  await Deno.symlink("../../secret.txt", `${root}/noindex/link-out.txt`);

  return {
    dir,
    root,
    secret,
    oneK,
    large,
    css,
    js,
    host: (overrides = {}) => ({
      addresses: [],
      declaredAt: "test",
      serverAdmin: "[no address given]",
      serverName: "localhost",
      serverAliases: [],
      documentRoot: root,
      directoryIndex: ["index.html"],
      indexes: false,
      followSymLinks: false,
      autoindex: DEFAULT_AUTOINDEX,
      accessFileNames: [".htaccess"],
      addType: {},
      addCharset: {},
      forceType: null,
      addDefaultCharset: null,
      serverSignature: "Off",
      useCanonicalName: false,
      redirects: [],
      aliases: [],
      sections: [],
      errorDocuments: {},
      compression: DEFAULT_COMPRESSION,
      headers: [],
      requestHeaders: [],
      errorLog: "stderr",
      logLevel: "warn",
      customLogs: [],
      apps: [],
      status: null,
      tls: {
        engine: false,
        certificateFile: null,
        keyFile: null,
        chainFile: null,
        protocols: { min: "TLSv1.2", max: "TLSv1.3", unavailable: [] },
        credentials: null,
      },
      proxy: DEFAULT_PROXY_CONFIG,
      ...overrides,
    }),
    [Symbol.asyncDispose]: () => Deno.remove(dir, { recursive: true }),
  };
}

/** A logger that keeps entries in memory, for tests. */
export interface TestLogger extends Logger {
  readonly entries: { level: LogLevel; message: string }[];
}

/** Creates a {@link TestLogger} that records every level. */
export function testLogger(): TestLogger {
  const entries: { level: LogLevel; message: string }[] = [];
  const logger: TestLogger = {
    level: "trace8",
    entries,
    enabled: () => true,
    log: (level, message) => void entries.push({ level, message }),
    error: (message) => logger.log("error", message),
    warn: (message) => logger.log("warn", message),
    notice: (message) => logger.log("notice", message),
    info: (message) => logger.log("info", message),
    debug: (message) => logger.log("debug", message),
    withModule: () => logger,
  };
  return logger;
}
