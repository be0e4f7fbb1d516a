/**
 * Deno's native HTTP server as mpmd's second engine (`HttpEngine: native`): the same site
 * handler, access records and connection states as mpmd's own engine, behind the same face,
 * over Deno's server for one connection at a time.
 *
 * @module
 */

export { createH2Engine, createNativeEngine, type NativeEngineOptions } from "./native_engine.ts";
export {
  type BodyCount,
  type NativeRequestContext,
  type NativeServerRequest,
  nativeServerRequest,
  refuseDeclaredTooLarge,
} from "./native_request.ts";
export { nativeResponse, type NativeResponseOptions, type SentBody } from "./native_response.ts";
export { removePairsLeftBy } from "./_unix_pairs.ts";
