/**
 * A self-signed certificate for `localhost` and 127.0.0.1, made by the openssl command (ECDSA
 * P-256: cheap to make and to handshake), for tests that speak TLS to mpmd.
 *
 * @module
 */

import net from "node:net";
import tls from "node:tls";
import { TlsConnection } from "../../../server/http/mod.ts";

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

/** A loopback TLS server (Node's TLS, as mpmd's slots) handing each connection to `handle`. */
export interface TlsTestServer extends AsyncDisposable {
  readonly port: number;
}

/**
 * Listens on 127.0.0.1 and wraps each accepted socket in a server-side TLS socket with
 * `certificate`, as mpmd's acceptor does, then hands it to `handle` as a
 * {@link TlsConnection} whose handshake has not run yet.
 */
export async function serveTls(
  certificate: LocalhostCertificate,
  handle: (conn: TlsConnection) => unknown,
): Promise<TlsTestServer> {
  const secureContext = tls.createSecureContext({ key: certificate.key, cert: certificate.cert });
  const addr = (host: string | undefined, port: number | undefined): Deno.NetAddr => ({
    transport: "tcp",
    hostname: host ?? "",
    port: port ?? 0,
  });
  const server = net.createServer((socket) => {
    const secure = new tls.TLSSocket(socket, { isServer: true, secureContext });
    void handle(
      new TlsConnection(secure, {
        localAddr: addr(socket.localAddress, socket.localPort),
        remoteAddr: addr(socket.remoteAddress, socket.remotePort),
      }, () => {}),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    [Symbol.asyncDispose]: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
