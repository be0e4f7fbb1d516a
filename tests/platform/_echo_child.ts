/**
 * A test-only child: echoes every message from its parent back, exits 0 on the message
 * `"exit"`, and otherwise ends by itself when its stdin reaches end of input.
 *
 * @module
 */

import { connectToParent } from "../../platform/mod.ts";

const parent = connectToParent();
await parent.send({ ready: Deno.pid });
for await (const message of parent.messages) {
  if (message === "exit") Deno.exit(0);
  await parent.send(message);
}
