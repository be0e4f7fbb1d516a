/**
 * The App directive: handler modules in the `deno serve` convention mounted on URL prefixes.
 * Checking that each module file exists is I/O, left to the loader (`parseConfigText()`'s
 * `checkFile`); two mounts on one Location are refused by `checkConfig()`.
 *
 * @module
 */

import { resolve } from "node:path";
import {
  argsOf,
  describeValue,
  type Directive,
  type DirectiveContext,
  DirectiveValueError,
  itemList,
} from "./directive.ts";
import type { AppMount } from "./server_config.ts";
import { CONTROL_CHAR, locationProblem } from "./_location.ts";

/** App: `{ Location, Module }` maps (one or a list), or `"Location Module"` strings. */
export const APP: Directive<readonly AppMount[]> = itemList({
  name: "App",
  help: "Handler modules (export default { fetch }) mounted on URL prefixes",
  default: [],
}, parseMount);

function parseMount(item: unknown, ctx: DirectiveContext): AppMount {
  if (typeof item === "string") {
    const args = argsOf(item);
    if (args.length !== 2) {
      throw new DirectiveValueError(`${JSON.stringify(item)} is not "Location Module"`);
    }
    return mount(args[0]!, args[1]!, ctx);
  }
  if (item === null || typeof item !== "object" || Array.isArray(item)) {
    throw new DirectiveValueError(
      `${describeValue(item)} is not an app ({Location, Module} or "Location Module")`,
    );
  }
  const { Location, Module, ...rest } = item as Record<string, unknown>;
  const extra = Object.keys(rest);
  if (extra.length > 0) {
    throw new DirectiveValueError(
      `${JSON.stringify(extra[0])} is not an App key (Location, Module)`,
    );
  }
  if (typeof Location !== "string" || typeof Module !== "string") {
    throw new DirectiveValueError("an App map needs a Location and a Module, both strings");
  }
  return mount(Location, Module, ctx);
}

function mount(location: string, module: string, ctx: DirectiveContext): AppMount {
  const problem = locationProblem(location);
  if (problem !== null) throw new DirectiveValueError(`Location ${problem}`);
  if (module === "") throw new DirectiveValueError("Module is empty");
  if (CONTROL_CHAR.test(module)) {
    throw new DirectiveValueError(`Module ${JSON.stringify(module)} holds a control character`);
  }
  return { location, module: resolve(ctx.serverRoot, module) };
}
