/**
 * A test-only middle process: starts the echo child, tells its own parent the echo child's
 * pid, then waits to be killed, so the test can see what the echo child does when its
 * parent dies.
 *
 * @module
 */

import {
  buildSelfCommand,
  connectToParent,
  readSelfFacts,
  spawnChild,
} from "../../platform/mod.ts";

const echo = spawnChild(buildSelfCommand(
  { ...readSelfFacts(), mainModule: new URL("./_echo_child.ts", import.meta.url).href },
  [],
));
const parent = connectToParent();
for await (const message of echo.messages) {
  await parent.send({ echo: message });
  break;
}
await echo.status;
