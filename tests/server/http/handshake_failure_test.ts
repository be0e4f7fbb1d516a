import assert from "node:assert/strict";
import { handshakeFailureOf } from "../../../server/http/mod.ts";

/** What rustls (through Deno's node:tls) reported for each kind of client, measured. */
const CASES = [
  {
    name: "a TLS 1.0/1.1 hello is a refused version",
    message: "peer is incompatible: SignatureAlgorithmsExtensionRequired",
    reason: "version",
  },
  {
    name: "a TLS 1.2-only hello to a TLS 1.3-only host is a refused version",
    message: "peer is incompatible: SupportedVersionsExtensionRequired",
    reason: "version",
  },
  {
    name: "plain HTTP is not TLS",
    message: "received corrupt message of type InvalidContentType " +
      "(SSL routines:ssl3_get_record:wrong version number)",
    reason: "not_tls",
  },
  {
    name: "a malformed ClientHello is not TLS",
    message: 'received corrupt message of type TrailingData("SessionID")',
    reason: "not_tls",
  },
  {
    name: "an unsolicited Certificate is not TLS",
    message: "received corrupt message of type CertificatePayloadTooLarge",
    reason: "not_tls",
  },
  {
    name: "no shared cipher suite is another failure",
    message: "peer is incompatible: NoCipherSuitesInCommon",
    reason: "other",
  },
  { name: "a reset is another failure", message: "read ECONNRESET", reason: "other" },
] as const;

Deno.test("handshakeFailureOf() classes rustls's errors", async (t) => {
  for (const c of CASES) {
    await t.step(c.name, () => {
      assert.equal(handshakeFailureOf(new Error(c.message)), c.reason);
    });
  }
});
