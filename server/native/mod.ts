/**
 * Deno's native HTTP server as mpmd's second engine (`HttpEngine: native`): the same site
 * handler and access records as mpmd's own engine, over `Deno.serve`.
 *
 * @module
 */

export { type NativeServer, type NativeServerOptions, startNativeServer } from "./native_server.ts";
export {
  type BodyCount,
  type NativeRequestContext,
  nativeServerRequest,
  refuseDeclaredTooLarge,
} from "./native_request.ts";
export { nativeResponse, type NativeResponseOptions, type SentBody } from "./native_response.ts";
