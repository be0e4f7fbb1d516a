/**
 * What the https and HTTP/2 tests share: certificates made with the openssl command (a CA, and
 * ECDSA P-256 host certificates it signed: cheap to make and to handshake), a site of two hosts,
 * and the tools run with a deadline.
 *
 * @module
 */

import { within } from "../../_deadline.ts";
import { type MpmCase, ONE_CHILD_TWO_THREADS, type TestServer } from "./_mpm.ts";

/** The MPMs the TLS tests run under, each with a small pool. */
export const TLS_CASES: readonly MpmCase[] = [
  { mpm: "prefork", section: { StartServers: 2, MinSpareServers: 1, MaxSpareServers: 3 } },
  { mpm: "worker", section: ONE_CHILD_TWO_THREADS },
  { mpm: "event", section: ONE_CHILD_TWO_THREADS },
];

/** Decodes what the tools print. */
export const decoder: TextDecoder = new TextDecoder();

/** Runs `command` with `stdin`, within a deadline: what it printed, stdout then stderr. */
export async function run(command: string, args: string[], stdin = ""): Promise<string> {
  const child = new Deno.Command(command, {
    args,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(stdin));
  await writer.close();
  const out = await within(child.output(), `${command} ${args.join(" ")}`, 30_000);
  return decoder.decode(out.stdout) + decoder.decode(out.stderr);
}

async function openssl(...args: string[]): Promise<void> {
  const out = await new Deno.Command("openssl", { args, stdout: "null", stderr: "piped" })
    .output();
  if (!out.success) throw new Error(`openssl ${args.join(" ")}: ${decoder.decode(out.stderr)}`);
}

/** A CA, and for each name a key and a certificate the CA signed (`NAME.pem`, `NAME.key`). */
async function makeCertificates(dir: string, names: readonly string[]): Promise<void> {
  await openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", `${dir}/ca.key`);
  await openssl(
    ...["req", "-x509", "-new", "-key", `${dir}/ca.key`, "-subj", "/CN=mpmd test CA"],
    ...["-days", "2", "-out", `${dir}/ca.pem`],
  );
  for (const name of names) await issue(dir, name, name);
}

/** Issues `file`.pem / `file`.key for host `name`. */
export async function issue(dir: string, name: string, file: string): Promise<void> {
  await openssl(
    "ecparam",
    "-name",
    "prime256v1",
    "-genkey",
    "-noout",
    "-out",
    `${dir}/${file}.key`,
  );
  await Deno.chmod(`${dir}/${file}.key`, 0o600);
  await openssl(
    ...["req", "-new", "-key", `${dir}/${file}.key`, "-subj", `/CN=${name}`],
    ...["-out", `${dir}/${file}.csr`],
  );
  await Deno.writeTextFile(`${dir}/${file}.ext`, `subjectAltName=DNS:${name}\n`);
  await openssl(
    ...["x509", "-req", "-in", `${dir}/${file}.csr`, "-CA", `${dir}/ca.pem`, "-CAkey"],
    ...[`${dir}/ca.key`, "-CAcreateserial", "-days", "2", "-extfile", `${dir}/${file}.ext`],
    ...["-out", `${dir}/${file}.pem`],
  );
}

/** A temp directory with the certificates of a.test and b.test and a page for each. */
export async function tlsSite(): Promise<{ readonly dir: string } & AsyncDisposable> {
  const dir = await Deno.makeTempDir({ prefix: "mpmd-https-" });
  await makeCertificates(dir, ["a.test", "b.test"]);
  for (const name of ["a.test", "b.test"]) {
    await Deno.mkdir(`${dir}/${name}`);
    await Deno.writeTextFile(`${dir}/${name}/index.html`, `site ${name}\n`);
  }
  return { dir, [Symbol.asyncDispose]: () => Deno.remove(dir, { recursive: true }) };
}

/** The port of the https listener, from its "Listening on" line. */
export async function httpsPort(server: TestServer): Promise<number> {
  const line = await server.waitForLog(/Listening on https:\/\/127\.0\.0\.1:\d+/);
  return Number(/https:\/\/127\.0\.0\.1:(\d+)/.exec(line)![1]);
}

/** What {@link tlsSiteConfig} adds to its configuration. */
export interface TlsSiteLines {
  /** Top-level lines. */
  readonly top: readonly string[];
  /** Lines of the virtual host `name` (a.test, b.test). */
  readonly host?: (name: string) => readonly string[];
}

/**
 * The YAML of a server under `c`'s MPM with a plain and an https listener on port 0 (the plain
 * one first: its "Listening on http://" line is the readiness signal), whose virtual hosts
 * a.test and b.test serve {@link tlsSite}'s pages with their own certificates.
 */
export function tlsSiteConfig(c: MpmCase, dir: string, lines: TlsSiteLines): string {
  const hosts = ["a.test", "b.test"].map((name) =>
    [
      `  - Address: "*"`,
      `    ServerName: ${name}`,
      `    DocumentRoot: ${dir}/${name}`,
      `    SSLEngine: on`,
      `    SSLCertificateFile: ${dir}/${name}.pem`,
      `    SSLCertificateKeyFile: ${dir}/${name}.key`,
      ...(lines.host?.(name) ?? []).map((line) => `    ${line}`),
    ].join("\n")
  );
  return [
    "Listen:",
    "  - 127.0.0.1:0",
    '  - "127.0.0.1:0 https"',
    `MPM: ${c.mpm}`,
    "LogLevel: info",
    "MaintenanceInterval: 100ms",
    ...lines.top,
    `DocumentRoot: ${dir}/a.test`,
    `${c.mpm}:`,
    ...Object.entries(c.section).map(([name, value]) => `  ${name}: ${value}`),
    "VirtualHost:",
    ...hosts,
  ].join("\n");
}
