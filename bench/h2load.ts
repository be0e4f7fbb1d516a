/**
 * `--h2`: HTTP/2 over TLS with h2load (Debian's nghttp2-client): a few connections, many
 * concurrent streams on each, the same 1 KiB file from every server, and the ratios of mpmd
 * to nginx and Apache's event MPM. The certificate is an ECDSA P-256 one made for the run.
 *
 * @module
 */

import { BenchError } from "./bench_error.ts";

/** What one h2load run does. */
export interface H2loadOptions {
  /** `https://127.0.0.1:PORT/1k.txt`. */
  readonly url: string;
  /** Requests in all (`-n`). */
  readonly requests: number;
  /** Connections (`-c`). */
  readonly clients: number;
  /** Concurrent streams per connection (`-m`). */
  readonly streams: number;
  /** Native threads of h2load (`-t`). */
  readonly threads: number;
}

/** What h2load reports. */
export interface H2loadResult {
  /** Requests answered per second over the whole run. */
  readonly requestsPerSec: number;
  /** Requests answered (any status). */
  readonly succeeded: number;
  /** Requests that got no answer (a connection refused, reset or ended with GOAWAY first). */
  readonly failed: number;
  /** The negotiated protocol (`h2`), as h2load says. */
  readonly protocol: string;
}

/** The defaults of `--h2`: 100 streams per connection, as the issue asks. */
export const H2LOAD_DEFAULTS = {
  requests: 200_000,
  clients: 10,
  streams: 100,
  threads: 1,
} as const;

/** Where mpmd must stand against each peer under `--h2`. */
export const H2_TARGETS: readonly { readonly peer: string; readonly ratio: number }[] = [
  { peer: "apache-event", ratio: 1.0 },
  { peer: "nginx", ratio: 0.8 },
];

/** h2load's argv for `options`. */
export function h2loadArgs(options: H2loadOptions): string[] {
  return [
    ...["-n", String(options.requests), "-c", String(options.clients)],
    ...["-m", String(options.streams), "-t", String(options.threads), options.url],
  ];
}

/**
 * Reads h2load's summary.
 *
 * @throws {BenchError} when the output has no summary (h2load could not connect).
 */
export function parseH2loadOutput(text: string): H2loadResult {
  const rate = /^finished in .*?, ([\d.]+) req\/s/m.exec(text);
  const counts = /^requests: \d+ total, .*?(\d+) succeeded, (\d+) failed/m.exec(text);
  if (rate === null || counts === null) {
    throw new BenchError(`Cannot read h2load's summary: ${text.trim().split("\n").at(-1)}`);
  }
  return {
    requestsPerSec: Number(rate[1]),
    succeeded: Number(counts[1]),
    failed: Number(counts[2]),
    protocol: /^Application protocol: (\S+)/m.exec(text)?.[1] ?? "-",
  };
}

/**
 * Runs h2load once.
 *
 * @throws {BenchError} when it cannot run or reports nothing.
 */
export async function runH2load(
  options: H2loadOptions,
  signal: AbortSignal,
): Promise<H2loadResult> {
  const out = await new Deno.Command("h2load", {
    args: h2loadArgs(options),
    stdout: "piped",
    stderr: "piped",
    signal,
  }).output();
  const decoder = new TextDecoder();
  return parseH2loadOutput(decoder.decode(out.stdout) + decoder.decode(out.stderr));
}

/** The report's lines: one row per server, then each target with its ratio. */
export function renderH2(
  options: Omit<H2loadOptions, "url">,
  rows: readonly { readonly name: string; readonly result: H2loadResult | string }[],
): string[] {
  const measured = new Map(
    rows.flatMap((row) => typeof row.result === "string" ? [] : [[row.name, row.result]]),
  );
  const lines = [
    `h2load -n ${options.requests} -c ${options.clients} -m ${options.streams} -t ${options.threads}, ` +
    "HTTP/2 over TLS 1.3, 1 KiB file",
    ...rows.map(({ name, result }) =>
      typeof result === "string"
        ? `  ${name}: ${result}`
        : `  ${name}: ${Math.round(result.requestsPerSec)} req/s (${result.protocol}, ` +
          `${result.succeeded} succeeded, ${result.failed} failed)`
    ),
  ];
  for (const [name, result] of measured) {
    if (!name.startsWith("mpmd")) continue;
    for (const target of H2_TARGETS) {
      const peer = measured.get(target.peer);
      if (peer === undefined) continue;
      const ratio = result.requestsPerSec / peer.requestsPerSec;
      lines.push(
        `  ${name} / ${target.peer}: ${ratio.toFixed(2)}x (target >= ${target.ratio.toFixed(1)}x: ${
          ratio >= target.ratio ? "met" : "MISSED"
        })`,
      );
    }
  }
  return lines;
}
