/**
 * What the https tests share: certificates made with the openssl command (a CA, and ECDSA
 * P-256 keys it signs: cheap to make and to handshake), a site of two name-based virtual
 * hosts on a plain and an https listener, and the clients that read it.
 *
 * @module
 */

import { within } from "../../_deadline.ts";
import type { MpmCase, TestServer } from "./_mpm.ts";

const decoder = new TextDecoder();

/** Runs `command` with `stdin`; its stdout and stderr as one text. */
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

/** Runs the openssl command; throws with its stderr when it fails. */
export async function openssl(...args: string[]): Promise<void> {
  const out = await new Deno.Command("openssl", { args, stdout: "null", stderr: "piped" })
    .output();
  if (!out.success) throw new Error(`openssl ${args.join(" ")}: ${decoder.decode(out.stderr)}`);
}

/** A CA, and for each name a key and a certificate the CA signed (`NAME.pem`, `NAME.key`). */
export async function makeCertificates(dir: string, names: readonly string[]): Promise<void> {
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

/**
 * Two name-based https hosts (a.test, b.test) on a plain and an https listener; `extra`
 * top-level lines, and `hostLines(name)` in each host.
 */
export function tlsConfig(
  c: MpmCase,
  dir: string,
  extra: readonly string[] = [],
  hostLines: (name: string) => readonly string[] = () => [],
): string {
  const hosts = ["a.test", "b.test"].map((name) =>
    [
      `  - Address: "*"`,
      `    ServerName: ${name}`,
      `    DocumentRoot: ${dir}/${name}`,
      `    SSLEngine: on`,
      `    SSLCertificateFile: ${dir}/${name}.pem`,
      `    SSLCertificateKeyFile: ${dir}/${name}.key`,
      ...hostLines(name).map((line) => `    ${line}`),
    ].join("\n")
  );
  return [
    // The plain listener first: its "Listening on http://" line is the readiness signal.
    "Listen:",
    "  - 127.0.0.1:0",
    '  - "127.0.0.1:0 https"',
    `MPM: ${c.mpm}`,
    "LogLevel: info",
    "MaintenanceInterval: 100ms",
    "RequestReadTimeout: header=2",
    `DocumentRoot: ${dir}/a.test`,
    ...extra,
    `${c.mpm}:`,
    ...Object.entries(c.section).map(([name, value]) => `  ${name}: ${value}`),
    "VirtualHost:",
    ...hosts,
  ].join("\n");
}

/** The https listener's port, from its "Listening on" line. */
export async function httpsPort(server: TestServer): Promise<number> {
  const line = await server.waitForLog(/Listening on https:\/\/127\.0\.0\.1:\d+/);
  return Number(/https:\/\/127\.0\.0\.1:(\d+)/.exec(line)![1]);
}

/** curl --http1.1 of https://NAME:PORT/ with the test CA. */
export function curl(dir: string, name: string, port: number): Promise<string> {
  return run("curl", [
    ...["-sS", "--http1.1", "--cacert", `${dir}/ca.pem`],
    ...["--resolve", `${name}:${port}:127.0.0.1`, `https://${name}:${port}/`],
  ]);
}

/** The subject line `openssl s_client` shows for the server's certificate. */
export async function subject(port: number, ...args: string[]): Promise<string> {
  const out = await run("openssl", ["s_client", "-connect", `127.0.0.1:${port}`, ...args]);
  return /^subject=.*$/m.exec(out)?.[0] ?? out;
}
