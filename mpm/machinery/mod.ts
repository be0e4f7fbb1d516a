/**
 * The shared machinery that runs any MPM's policy: the parent (listening sockets, generations,
 * maintenance, reaping, stuck-slot watch, signals), the child process, the Worker thread, the
 * slot (its accept discipline over the shared sockets, its engine and scoreboard record) and
 * the messages between them. `main.ts` runs {@link runParent} by default and {@link runChild}
 * when started with {@link CHILD_ARGUMENT}.
 *
 * @module
 */

export { runParent } from "./parent.ts";
export { CHILD_ARGUMENT } from "./_child.ts";
export type { ParentOptions } from "./parent.ts";
export type { ReloadedConfig } from "./_generation.ts";
export { switchPreview, switchRefusal } from "./_generation.ts";
export { runChild } from "./child.ts";
export { runSlotHost } from "./slot_host.ts";
export type { HostChannel, SlotHost } from "./slot_host.ts";
export {
  ACCEPT_ENV,
  type AcceptMode,
  chooseAcceptMode,
  fallbackNotice,
  type Listening,
  ListenSockets,
} from "./_listen_sockets.ts";
export type {
  ChildMessage,
  ChildStart,
  FromThread,
  ParentMessage,
  ThreadStart,
  ToThread,
} from "./messages.ts";
export { isMessage } from "./messages.ts";
export { snapshotOf } from "./parent_snapshot.ts";
export type { KnownChild } from "./parent_snapshot.ts";
export { planStuckSlots, staleSlots } from "./stuck_slots.ts";
export type { StaleSlot, StuckAction, StuckWatchInput, WatchedChild } from "./stuck_slots.ts";
