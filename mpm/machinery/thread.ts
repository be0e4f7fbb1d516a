/**
 * A Worker's entry: one slot of a threaded child. The child's main thread posts a
 * `ThreadStart`, the slot accepts and serves; `retire` and `stop` end it,
 * and the Worker closes itself when its slot is done.
 *
 * @module
 */

/// <reference lib="deno.worker" />

import { ProcessScoreboard } from "../../scoreboard/mod.ts";
import { type FromThread, isMessage, type ThreadStart, type ToThread } from "./messages.ts";
import { keepStdoutForMessages, openIsolateLog, type Slot, startSlot } from "../../slot/mod.ts";
import { describeError } from "../../base/mod.ts";
import { adoptHeldFiles } from "../../platform/mod.ts";

const post = (message: FromThread) => self.postMessage(message);
let slot: Slot | null = null;
/** A retire or stop that came while the slot was starting: applied once it has started. */
let endWhenStarted: ToThread | null = null;
let closeLog: () => Promise<void> = () => Promise.resolve();

async function start(message: ThreadStart): Promise<void> {
  const { config } = message.slot;
  adoptHeldFiles(message.heldFiles);
  const log = openIsolateLog(config, `mpm_${config.mpm}`, message.index + 1);
  closeLog = log.close;
  try {
    slot = await startSlot({
      ...message.slot,
      logger: log.logger,
      scoreboard: ProcessScoreboard.attach(message.scoreboard),
      index: message.index,
      onRecycle: () => post({ type: "recycle" }),
    });
  } catch (error) {
    post({ type: "failed", message: describeError(error) });
    await log.close();
    self.close();
    return;
  }
  post({ type: "ready" });
  if (endWhenStarted !== null) endSlot(slot, endWhenStarted);
}

function endSlot(started: Slot, message: ToThread): void {
  void end(message.type === "retire" ? started.retire(message.how) : started.stop());
}

async function end(finishing: Promise<void>): Promise<void> {
  await finishing;
  await closeLog();
  post({ type: "done" });
  self.close();
}

keepStdoutForMessages();
// Deno.exit() in a Worker ends only that Worker, silently (no error event): say so while the
// isolate can still post, so that the slot is replaced. A slot that ends as asked posts
// "done" first, and its host ignores what follows.
globalThis.addEventListener("unload", () => post({ type: "exiting", code: Deno.exitCode }));
self.onmessage = (event: MessageEvent<unknown>) => {
  const message = event.data;
  if (!isMessage<ToThread>(message, ["start", "retire", "stop"])) return;
  if (message.type === "start") void start(message);
  else if (slot !== null) endSlot(slot, message);
  else endWhenStarted = message;
};
