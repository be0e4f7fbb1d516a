/**
 * The messages between the parent and a child process (NDJSON over the child's stdin and
 * stdout), and between a child's main thread and its Workers (`postMessage`). Plain data
 * only: the config travels resolved, so a child never parses configuration.
 *
 * @module
 */

import type { Topology } from "../mpm_policy.ts";
import type { RetireOptions, SlotStart } from "../../slot/mod.ts";
import type { HeldFiles } from "../../platform/mod.ts";

/** What a child is started with: the parent's first message. */
export interface ChildStart {
  /** The message's kind. */
  readonly type: "start";
  /** The MPM's layout: threads per process, scoreboard size. */
  readonly topology: Topology;
  /** The generation that starts this child. */
  readonly generation: number;
  /** What each of its slots starts with (its region is `processIndex`). */
  readonly slot: SlotStart;
}

/** Parent → child. */
export type ParentMessage =
  | ChildStart
  /**
   * Finish gracefully and exit (graceful restart, graceful stop, spare-server retirement). The
   * pipe carries JSON, which has no Infinity: a grace without limit travels as `null`.
   */
  | { readonly type: "retire"; readonly how: { readonly graceMs: number | null } }
  /** Give up the thread of slot `slot` (it stopped running) and ask to be replaced. */
  | { readonly type: "restartThread"; readonly slot: number }
  /** Start `count` more threads (netware, mpmt_os2). */
  | { readonly type: "spawnThreads"; readonly count: number }
  /** Retire `count` idle threads, gracefully (netware, mpmt_os2). */
  | { readonly type: "retireThreads"; readonly count: number };

/** Child → parent. */
export type ChildMessage =
  /** Every slot listens: the child serves. */
  | { readonly type: "ready" }
  /** The child could not start (a bind or log error): `message` says why. */
  | { readonly type: "failed"; readonly message: string }
  /** MaxConnectionsPerChild reached: the child retires itself and wants a successor. */
  | { readonly type: "recycling" };

/** What a Worker is started with: the child's first message to it. */
export interface ThreadStart {
  /** The message's kind. */
  readonly type: "start";
  /** What its child's slots start with, passed on unchanged. */
  readonly slot: SlotStart;
  /** The process's scoreboard region. */
  readonly scoreboard: SharedArrayBuffer;
  /** The thread's slot index in that region. */
  readonly index: number;
  /** The log files its process holds open (it gave up root): written by descriptor. */
  readonly heldFiles: HeldFiles;
}

/** Child main thread → Worker. */
export type ToThread =
  | ThreadStart
  | { readonly type: "retire"; readonly how: RetireOptions }
  | { readonly type: "stop" };

/** Worker → child main thread. */
export type FromThread =
  | { readonly type: "ready" }
  | { readonly type: "failed"; readonly message: string }
  | { readonly type: "recycle" }
  | { readonly type: "done" }
  /** Its isolate is ending without being asked: handler code called `Deno.exit()`. */
  | { readonly type: "exiting"; readonly code: number };

/** Whether `value` is a message of one of the `types`; the shape beyond `type` is trusted. */
export function isMessage<M extends { readonly type: string }>(
  value: unknown,
  types: readonly M["type"][],
): value is M {
  return typeof value === "object" && value !== null && "type" in value &&
    types.includes((value as { type: M["type"] }).type);
}
