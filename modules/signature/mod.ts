/**
 * ServerSignature (httpd core): a footer naming the server, the host and its port on the
 * pages a host writes itself.
 *
 * @example
 * ```ts
 * import { createSignature, withServerSignature } from "./mod.ts";
 * import type { HostConfig } from "../../server/config/mod.ts";
 * import type { Handler } from "../../server/http/mod.ts";
 * import type { Logger } from "../../server/log/mod.ts";
 *
 * declare const host: HostConfig;
 * declare const chain: Handler;
 * declare const logger: Logger;
 * const signature = createSignature(host, "mpmd/0.1.0");
 * const handler = withServerSignature(chain, { signature, logger });
 * ```
 *
 * @module
 */

export {
  createSignature,
  type ServerSignatureOptions,
  type Signature,
  type SignedHost,
  withServerSignature,
} from "./server_signature.ts";
