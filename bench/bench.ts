// deno-lint-ignore-file no-console -- printing the report is this tool's purpose
/**
 * `deno task bench`: measures mpmd against nginx and Apache httpd on this machine, in the same
 * run, one server at a time, and prints req/s ratios. Performance is reported, not asserted:
 * a missed target never changes the exit code.
 *
 * @module
 */

import { runAb } from "./ab.ts";
import { BenchError } from "./bench_error.ts";
import {
  allContenders,
  appContenders,
  type Contender,
  eventContenders,
  HELLO_APP,
  PROXY_BACKEND,
  selectContenders,
  slotContenders,
  slotPairs,
} from "./contenders.ts";
import { type MachineFacts, machineFacts } from "./machine.ts";
import { type BenchOptions, GZIP_LEVEL, parseBenchArgs, SLOTS, USAGE } from "./options.ts";
import { type ExpectedFile, probeGzip, waitUntilServing } from "./probe.ts";
import { HOSTILE_DEFAULTS, type HostileResult, renderHostile, runHostile } from "./hostile.ts";
import { findProgram, programVersion } from "./programs.ts";
import {
  type BenchReport,
  type ContenderOutcome,
  type HttpsResult,
  renderReport,
} from "./report.ts";
import type { TlsListener } from "./server_configs.ts";
import {
  APP_TARGETS,
  evaluateTargets,
  GZIP_TARGETS,
  PROXY_TARGETS,
  referenceOf,
  slotTargets,
  TARGETS,
} from "./targets.ts";
import { combineRounds } from "./rounds.ts";
import { SESSION_LEADER, startServer } from "./server_process.ts";
import { runWrk, type WrkOptions } from "./wrk.ts";
import { H2LOAD_DEFAULTS, type H2loadResult, renderH2, runH2load } from "./h2load.ts";

/** The file every server serves: exactly 1 KiB of text. */
const FILE_PATH = "/1k.txt";
const FILE_BYTES = 1024;
/** What examples/apps/hello answers on every path (`--app`). */
const HELLO: ExpectedFile = {
  path: "/",
  body: new TextEncoder().encode("Hello, world\n"),
  mediaType: "text/plain",
};
/** The page `--gzip` serves: a generated HTML page of exactly 100 KiB. */
const PAGE_PATH = "/page.html";
const PAGE_BYTES = 100 * 1024;
/** How long a server may take to answer its first request. */
const READY_DEADLINE_MS = 15_000;
const APT_HINT = "apt-get install -y nginx apache2 wrk";

/** 1 KiB of printable text ending in a newline. */
function fileBody(): Uint8Array {
  const line = "mpmd benchmark: 1 KiB of text/plain served from the DocumentRoot.\n";
  return new TextEncoder().encode(
    line.repeat(Math.ceil(FILE_BYTES / line.length)).slice(0, FILE_BYTES - 1) + "\n",
  );
}

/**
 * A product-listing page of exactly {@link PAGE_BYTES}: a head with styles, navigation, then
 * table rows whose names, prices and stock vary (a fixed pseudo-random sequence), so that it
 * compresses as a real page does (about 5:1 at level 6), not as one repeated line.
 */
function pageBody(): Uint8Array {
  const words = ["oak", "linen", "steel", "walnut", "wool", "copper", "maple", "slate", "cotton"];
  const kinds = ["chair", "table", "lamp", "shelf", "rug", "desk", "stool", "bench", "mirror"];
  let seed = 12345;
  const next = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  const head = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Catalogue - mpmd benchmark</title>
<style>body{font-family:sans-serif;margin:0 auto;max-width:60em}table{border-collapse:collapse}
td,th{padding:.2em .6em;border-bottom:1px solid #ddd}.price{text-align:right}</style></head>
<body><nav><a href="/">Home</a> | <a href="/catalogue/">Catalogue</a> | <a href="/about">About</a></nav>
<h1>Catalogue</h1><table><thead><tr><th>#</th><th>Item</th><th>Price</th><th>Stock</th></tr></thead><tbody>
`;
  let html = head;
  for (let i = 1; html.length < PAGE_BYTES; i++) {
    const name = `${words[next(words.length)]} ${kinds[next(kinds.length)]}`;
    const price = `${next(900) + 10}.${String(next(100)).padStart(2, "0")}`;
    html += `<tr id="item-${i}"><td>${i}</td><td><a href="/item/${i}-${
      name.replace(" ", "-")
    }">${name}</a></td><td class="price">${price}</td><td>${next(50)}</td></tr>\n`;
  }
  const tail = "</tbody></table></body></html>\n";
  return new TextEncoder().encode(html.slice(0, PAGE_BYTES - tail.length) + tail);
}

/** Creates the temp dir and its DocumentRoot, readable by the servers' unprivileged users. */
async function makeSite(
  files: readonly ExpectedFile[],
): Promise<{ dir: string; docRoot: string }> {
  const dir = await Deno.makeTempDir({ prefix: "mpmd_bench_" });
  // makeTempDir gives 0700; www-data (nginx and Apache workers) must traverse it.
  await Deno.chmod(dir, 0o755);
  const docRoot = `${dir}/htdocs`;
  await Deno.mkdir(docRoot, { mode: 0o755 });
  for (const file of files) {
    await Deno.writeFile(`${docRoot}${file.path}`, file.body, { mode: 0o644 });
  }
  return { dir, docRoot };
}

/** A free loopback port: bind port 0, read what the kernel chose, release it. */
function freePort(): number {
  using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  return listener.addr.port;
}

/** Why a contender cannot run here, or `null` when it can. */
async function unavailableReason(contender: Contender): Promise<string | null> {
  if (!await findProgram(contender.program)) {
    return `${contender.program} not found; install it: ${contender.installHint}`;
  }
  for (const file of contender.requiredFiles) {
    try {
      await Deno.stat(file);
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
      return `${file} not found; ${contender.installHint}`;
    }
  }
  return null;
}

interface RunContext {
  readonly options: BenchOptions;
  readonly site: { readonly dir: string; readonly docRoot: string };
  readonly expected: ExpectedFile;
  readonly runAsUser: string | null;
  readonly signal: AbortSignal;
  /** The port of the backend every contender proxies to (`--proxy`), or `null`. */
  readonly proxyTo: number | null;
  /** The certificate of the https cases, or `null` when no contender is measured over https. */
  readonly certificate: Omit<TlsListener, "port"> | null;
}

/**
 * Starts one contender, waits until it serves the expected file, runs `work` on its port (and
 * the port of its https listener, when it has one), and always stops it.
 *
 * @returns `work`'s result and the pids that needed SIGKILL at the stop.
 * @throws {BenchError} when the server does not start or serve, or `work` fails.
 */
async function withServer<T>(
  contender: Contender,
  ctx: RunContext,
  work: (port: number, tlsPort: number) => Promise<T>,
): Promise<{ readonly result: T; readonly forcedKills: readonly number[] }> {
  const { options, signal } = ctx;
  const port = freePort();
  const tlsPort = freePort();
  const spec = contender.launch({
    ...ctx.site,
    stem: contender.stem,
    port,
    // HTTP/2 carries a whole run on a few connections: a request limit per connection (nginx
    // applies keepalive_requests to its streams) would end them mid-run.
    keepAliveRequests: options.h2 ? 0 : options.keepAliveRequests,
    runAsUser: ctx.runAsUser,
    ...(options.app ? { appModule: HELLO_APP } : {}),
    ...(options.slots ? { slots: SLOTS } : {}),
    ...(options.gzip ? { gzipLevel: GZIP_LEVEL } : {}),
    ...(ctx.proxyTo === null ? {} : { proxyTo: ctx.proxyTo }),
    ...((contender.https || options.h2) && ctx.certificate !== null
      ? { tls: { port: tlsPort, ...ctx.certificate } }
      : {}),
  });
  await using server = await startServer(contender.name, spec);
  console.error(`${contender.name}: started (pid ${server.pid}, port ${port})`);
  await waitUntilServing(server, port, ctx.expected, { deadlineMs: READY_DEADLINE_MS, signal });
  const result = await work(port, tlsPort);
  const stopped = await server.stop();
  if (stopped.kind === "forced") {
    console.error(
      `${contender.name}: did not stop on SIGTERM; killed pids ${stopped.killed.join(", ")}`,
    );
  }
  return { result, forcedKills: stopped.killed };
}

/** Measures one contender under wrk (and ab): keep-alive, then Connection: close. */
async function measure(
  contender: Contender,
  version: string,
  ctx: RunContext,
): Promise<ContenderOutcome> {
  const { options, signal } = ctx;
  const base = { name: contender.name, role: contender.role, version };
  // --gzip: every request asks for gzip, and each server must be seen to compress.
  const headers: Record<string, string> = options.gzip ? { "Accept-Encoding": "gzip" } : {};
  const loadServer = async (port: number, tlsPort: number) => {
    const url = `http://127.0.0.1:${port}${ctx.expected.path}`;
    const load = { url, threads: options.threads, connections: options.connections };
    if (options.gzip) {
      const bytes = await probeGzip(contender.name, port, ctx.expected);
      console.error(`${contender.name}: gzip ${bytes} of ${ctx.expected.body.length} bytes`);
    }
    if (options.warmupSec > 0) {
      await runWrk({ ...load, durationSec: options.warmupSec, headers }, signal);
    }
    const keepAlive = await runWrk(
      { ...load, durationSec: options.durationSec, headers },
      signal,
    );
    console.error(`${contender.name}: keep-alive ${Math.round(keepAlive.requestsPerSec)} req/s`);
    const close = await runWrk(
      { ...load, durationSec: options.durationSec, headers: { ...headers, Connection: "close" } },
      signal,
    );
    console.error(`${contender.name}: close ${Math.round(close.requestsPerSec)} req/s`);
    const ab = options.ab
      ? await runAb(
        { url, connections: options.connections, durationSec: options.durationSec },
        signal,
      )
      : null;
    const https = contender.https && ctx.certificate !== null
      ? await measureHttps(contender, {
        ...load,
        url: `https://127.0.0.1:${tlsPort}${ctx.expected.path}`,
      }, ctx)
      : null;
    return { keepAlive, close, ab, https };
  };
  try {
    const { result, forcedKills } = await withServer(contender, ctx, loadServer);
    return { ...base, kind: "measured", ...result, forcedKills };
  } catch (error) {
    // An interrupt aborts with a DOMException, which must end the whole run, not this row.
    if (error instanceof BenchError) return { ...base, kind: "failed", error: error.message };
    throw error;
  }
}

/**
 * The https cases on one contender's https listener, as the plain ones: a warm-up, kept-alive
 * connections, then `Connection: close` (a full handshake per request).
 */
async function measureHttps(
  contender: Contender,
  load: Omit<WrkOptions, "durationSec" | "headers">,
  ctx: RunContext,
): Promise<HttpsResult> {
  const { options, signal } = ctx;
  if (options.warmupSec > 0) {
    await runWrk({ ...load, durationSec: options.warmupSec, headers: {} }, signal);
  }
  const keepAlive = await runWrk(
    { ...load, durationSec: options.durationSec, headers: {} },
    signal,
  );
  console.error(
    `${contender.name}: https keep-alive ${Math.round(keepAlive.requestsPerSec)} req/s`,
  );
  const close = await runWrk(
    { ...load, durationSec: options.durationSec, headers: { Connection: "close" } },
    signal,
  );
  console.error(`${contender.name}: https close ${Math.round(close.requestsPerSec)} req/s`);
  return { keepAlive, close };
}

/**
 * Makes the https cases' certificate in `dir`: one self-signed ECDSA P-256 certificate (as
 * Let's Encrypt issues by default) that every server uses.
 *
 * @throws {BenchError} when openssl fails.
 */
async function makeCertificate(dir: string): Promise<Omit<TlsListener, "port">> {
  const certificateFile = `${dir}/bench.pem`;
  const keyFile = `${dir}/bench.key`;
  const out = await new Deno.Command("openssl", {
    args: [
      ...["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"],
      ...["-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"],
      ...["-days", "2", "-keyout", keyFile, "-out", certificateFile],
    ],
    stdout: "null",
    stderr: "piped",
  }).output();
  if (!out.success) {
    throw new BenchError(
      `Cannot make the https certificate: openssl: ${new TextDecoder().decode(out.stderr)}`,
    );
  }
  await Deno.chmod(keyFile, 0o600);
  return { certificateFile, keyFile };
}

/** Runs h2load against one contender's https listener; a failure is the row's text. */
async function measureH2(
  contender: Contender,
  ctx: RunContext,
): Promise<{ readonly name: string; readonly result: H2loadResult | string }> {
  const load = async (_port: number, tlsPort: number) => {
    const url = `https://127.0.0.1:${tlsPort}${ctx.expected.path}`;
    // The warm-up: the servers' pools and caches, as under wrk.
    await runH2load(
      { ...H2LOAD_DEFAULTS, url, requests: H2LOAD_DEFAULTS.requests / 10 },
      ctx.signal,
    );
    return await runH2load({ ...H2LOAD_DEFAULTS, url }, ctx.signal);
  };
  try {
    const { result } = await withServer(contender, ctx, load);
    console.error(`${contender.name}: ${Math.round(result.requestsPerSec)} req/s over h2`);
    return { name: contender.name, result };
  } catch (error) {
    if (error instanceof BenchError) {
      return { name: contender.name, result: `FAILED: ${error.message}` };
    }
    throw error;
  }
}

/** Prints (and with `--json` writes) an `--h2` run's rows; skipped contenders are rows too. */
async function reportH2(
  options: BenchOptions,
  machine: MachineFacts,
  rows: readonly { readonly name: string; readonly result: H2loadResult | string }[],
): Promise<number> {
  console.log(
    [
      `mpmd HTTP/2 benchmark, ${new Date().toISOString()}`,
      `machine: ${machine.cores} cores (${machine.cpuModel}), ${machine.os} ${machine.kernel}, deno ${machine.deno}`,
      ...renderH2(H2LOAD_DEFAULTS, rows),
    ].join("\n"),
  );
  if (options.jsonFile) {
    await Deno.writeTextFile(options.jsonFile, JSON.stringify({ machine, rows }, null, 2) + "\n");
    console.log(`results written to ${options.jsonFile}`);
  }
  return 0;
}

/** Runs {@link runHostile} against one contender; a failure to start is the row's text. */
async function measureHostile(
  contender: Contender,
  ctx: RunContext,
): Promise<{ readonly name: string; readonly result: HostileResult | string }> {
  const hostile = (port: number) =>
    runHostile({ ...hostileSettings(ctx.options, ctx.expected), port }, ctx.signal);
  try {
    const { result } = await withServer(contender, ctx, hostile);
    console.error(`${contender.name}: ${result.answered} answered, ${result.failed} failed`);
    return { name: contender.name, result };
  } catch (error) {
    if (error instanceof BenchError) {
      return { name: contender.name, result: `FAILED: ${error.message}` };
    }
    throw error;
  }
}

/** The settings of a `--hostile` run, from the command line. */
function hostileSettings(options: BenchOptions, expected: ExpectedFile) {
  return {
    ...HOSTILE_DEFAULTS,
    path: expected.path,
    slowClients: options.slowClients,
    durationSec: options.durationSec,
  };
}

/** Prints (and with `--json` writes) a `--hostile` run's rows; skipped contenders are rows too. */
async function reportHostile(
  options: BenchOptions,
  expected: ExpectedFile,
  machine: MachineFacts,
  rows: readonly (ContenderOutcome | { name: string; result: HostileResult | string })[],
): Promise<number> {
  const settings = hostileSettings(options, expected);
  const named = rows.map((row) =>
    "result" in row
      ? row
      : { name: row.name, result: row.kind === "skipped" ? `skipped: ${row.reason}` : "-" }
  );
  console.log(
    [
      `mpmd hostile benchmark, ${new Date().toISOString()}`,
      `machine: ${machine.cores} cores (${machine.cpuModel}), ${machine.os} ${machine.kernel}, deno ${machine.deno}`,
      "servers as in the load benchmark, with their default clocks for slow heads: Apache's mod_reqtimeout " +
      "(loaded, as Debian does), nginx's client_header_timeout, mpmd's RequestReadTimeout",
      ...renderHostile(settings, named),
    ].join("\n"),
  );
  if (options.jsonFile) {
    await Deno.writeTextFile(
      options.jsonFile,
      JSON.stringify({ machine, settings, rows: named }, null, 2) + "\n",
    );
    console.log(`results written to ${options.jsonFile}`);
  }
  return 0;
}

/** Runs the benchmark; returns the process exit code. */
export async function main(args: readonly string[]): Promise<number> {
  const startedAt = new Date();
  let options: BenchOptions;
  try {
    options = parseBenchArgs(args);
  } catch (error) {
    if (!(error instanceof BenchError)) throw error;
    console.error(`${error.message}\n\n${USAGE}`);
    return 2;
  }
  if (options.help) {
    console.log(USAGE);
    return 0;
  }
  if (!await findProgram("wrk")) {
    console.error(`Cannot run the benchmark: wrk not found; install it: ${APT_HINT}`);
    return 1;
  }
  if (!await findProgram(SESSION_LEADER)) {
    console.error(
      `Cannot start servers: ${SESSION_LEADER} not found; install it: apt-get install -y util-linux`,
    );
    return 1;
  }
  if (options.ab && !await findProgram("ab")) {
    console.error(
      "Cannot run the ab cross-check: ab not found; install it: apt-get install -y apache2-utils",
    );
    return 1;
  }
  if (options.h2 && !await findProgram("h2load")) {
    console.error(
      "Cannot run --h2: h2load not found; install it: apt-get install -y nghttp2-client",
    );
    return 1;
  }
  const contenders = options.h2 || options.gzip || options.proxy
    ? eventContenders(options)
    : options.app
    ? appContenders(options)
    : options.slots
    ? slotContenders(options)
    : allContenders(options);
  const { selected, unknown } = selectContenders(contenders, options.only);
  if (unknown.length > 0) {
    const names = contenders.map((c) => c.name).join(", ");
    console.error(`Cannot select ${unknown.join(", ")}: no such contender (known: ${names})`);
    return 2;
  }

  const machine = await machineFacts();
  const outcomes: ContenderOutcome[] = [];
  const runnable: { contender: Contender; version: string }[] = [];
  for (const contender of selected) {
    const reason = await unavailableReason(contender);
    const base = { name: contender.name, role: contender.role };
    if (reason) {
      console.error(`${contender.name}: skipped: ${reason}`);
      outcomes.push({ ...base, version: "-", kind: "skipped", reason });
    } else {
      runnable.push({ contender, version: await programVersion(contender.versionCommand) });
    }
  }

  const file: ExpectedFile = { path: FILE_PATH, body: fileBody(), mediaType: "text/plain" };
  const page: ExpectedFile = { path: PAGE_PATH, body: pageBody(), mediaType: "text/html" };
  const expected = options.app ? HELLO : options.gzip ? page : file;
  const controller = new AbortController();
  const onInterrupt = () => controller.abort();
  Deno.addSignalListener("SIGINT", onInterrupt);
  // The app benchmark serves no file, but the servers' configs still name a DocumentRoot.
  const site = await makeSite(options.gzip ? [file, page] : [file]);
  try {
    // The https cases belong to the static-file run and to --h2 (not --app, --slots, --hostile,
    // --gzip or --proxy).
    const https = options.h2 ||
      !options.app && !options.slots && !options.hostile && !options.gzip && !options.proxy &&
        runnable.some(({ contender }) => contender.https);
    const ctx: RunContext = {
      options,
      site,
      expected,
      runAsUser: Deno.uid() === 0 ? "www-data" : null,
      signal: controller.signal,
      proxyTo: null,
      certificate: https ? await makeCertificate(site.dir) : null,
    };
    if (options.hostile) {
      const rows = [];
      for (const { contender } of runnable) rows.push(await measureHostile(contender, ctx));
      return await reportHostile(options, expected, machine, [...outcomes, ...rows]);
    }
    if (options.h2) {
      const rows = [];
      for (const { contender } of runnable) rows.push(await measureH2(contender, ctx));
      const skipped = outcomes.map((o) => ({ name: o.name, result: "skipped" }));
      return await reportH2(options, machine, [...rows, ...skipped]);
    }
    // Round after round, each contender in turn, so that a drift of the machine's speed
    // spreads over all of them; each column's median run is reported.
    const measureAll = async (ctx: RunContext) => {
      const rounds = runnable.map((): ContenderOutcome[] => []);
      for (let round = 1; round <= options.rounds; round++) {
        if (options.rounds > 1) console.error(`round ${round} of ${options.rounds}`);
        for (const [i, { contender, version }] of runnable.entries()) {
          rounds[i]!.push(await measure(contender, version, ctx));
        }
      }
      outcomes.push(...rounds.map(combineRounds));
    };
    // --proxy: one backend for the whole run, so that every contender proxies to the same one.
    if (options.proxy) {
      await withServer(PROXY_BACKEND, ctx, (port) => measureAll({ ...ctx, proxyTo: port }));
    } else await measureAll(ctx);
  } catch (error) {
    if (!controller.signal.aborted) throw error;
    console.error("Interrupted: servers stopped, temp dir removed");
    return 130;
  } finally {
    Deno.removeSignalListener("SIGINT", onInterrupt);
    await Deno.remove(site.dir, { recursive: true });
  }

  const order = selected.map((c) => c.name);
  outcomes.sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name));
  const report: BenchReport = {
    startedAt: startedAt.toISOString(),
    elapsedSec: (Date.now() - startedAt.getTime()) / 1000,
    machine,
    settings: {
      path: expected.path,
      fileBytes: expected.body.length,
      mediaType: expected.mediaType,
      gzipLevel: options.gzip ? GZIP_LEVEL : null,
      durationSec: options.durationSec,
      warmupSec: options.warmupSec,
      connections: options.connections,
      threads: options.threads,
      keepAliveRequests: options.keepAliveRequests,
      rounds: options.rounds,
      wrkVersion: await programVersion(["wrk", "-v"]),
      abVersion: options.ab ? await programVersion(["ab", "-V"]) : null,
      slots: options.slots ? SLOTS : null,
    },
    reference: referenceOf(outcomes)?.name ?? null,
    outcomes,
    targets: evaluateTargets(
      outcomes,
      options.app
        ? APP_TARGETS
        : options.gzip
        ? GZIP_TARGETS
        : options.proxy
        ? PROXY_TARGETS
        : options.slots
        ? slotTargets(slotPairs(selected))
        : TARGETS,
    ),
  };
  console.log(renderReport(report).join("\n"));
  if (options.jsonFile) {
    await Deno.writeTextFile(options.jsonFile, JSON.stringify(report, null, 2) + "\n");
    console.log(`results written to ${options.jsonFile}`);
  }
  return 0;
}

if (import.meta.main) {
  Deno.exit(await main(Deno.args));
}
