/**
 * Starts a slot on the configured HTTP engine: mpmd's own (the MPM's accept discipline over
 * each connection) or Deno's native server.
 *
 * @module
 */

import { startEngineSlot } from "./_engine_slot.ts";
import { startNativeSlot } from "./_native_slot.ts";
import type { Slot, SlotOptions } from "./slot.ts";

/**
 * Loads the site's handler, binds the slot's listeners and starts serving.
 *
 * @throws {ConfigErrors} when an address cannot be bound or an access log cannot be opened,
 *   or what a module throws while loading.
 */
export function startSlot(options: SlotOptions): Promise<Slot> {
  return options.config.httpEngine === "native"
    ? startNativeSlot(options)
    : startEngineSlot(options);
}
