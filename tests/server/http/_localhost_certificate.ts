/**
 * A self-signed certificate for `localhost` and 127.0.0.1, made by the openssl command (ECDSA
 * P-256: cheap to make and to handshake), for tests that speak TLS to mpmd.
 *
 * @module
 */

/** A certificate and its key, in PEM and as files of a temporary directory. */
export interface LocalhostCertificate extends AsyncDisposable {
  readonly cert: string;
  readonly key: string;
  readonly certFile: string;
  readonly keyFile: string;
}

/** Makes a certificate valid for a day; the directory holding it is removed on dispose. */
export async function localhostCertificate(): Promise<LocalhostCertificate> {
  const dir = await Deno.makeTempDir({ prefix: "mpmd-localhost-cert-" });
  const certFile = `${dir}/cert.pem`;
  const keyFile = `${dir}/key.pem`;
  const out = await new Deno.Command("openssl", {
    args: [
      ...["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"],
      ...["-nodes", "-days", "1", "-subj", "/CN=localhost"],
      ...["-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"],
      ...["-addext", "basicConstraints=critical,CA:FALSE"],
      ...["-keyout", keyFile, "-out", certFile],
    ],
    stdout: "null",
    stderr: "piped",
  }).output();
  if (!out.success) throw new Error(`openssl: ${new TextDecoder().decode(out.stderr)}`);
  return {
    cert: await Deno.readTextFile(certFile),
    key: await Deno.readTextFile(keyFile),
    certFile,
    keyFile,
    [Symbol.asyncDispose]: () => Deno.remove(dir, { recursive: true }),
  };
}
