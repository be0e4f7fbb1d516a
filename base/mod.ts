/**
 * What every layer of mpmd uses and none owns: the wording of a caught error, "did you mean"
 * hints for misspelt names, and waits bounded in time. Nothing here knows HTTP, processes or
 * the OS.
 *
 * @example
 * ```ts
 * import { describeError, TIMED_OUT, withDeadline } from "./mod.ts";
 *
 * const ready = new Promise<void>(() => {});
 * if (await withDeadline(ready, 100) === TIMED_OUT) console.error("not ready after 100 ms");
 * console.error(describeError(new Error("Cannot bind")));
 * ```
 *
 * @module
 */

export { delay, TIMED_OUT, withDeadline } from "./deadline.ts";
export { describeError } from "./describe_error.ts";
export { didYouMean, didYouMeanHint } from "./did_you_mean.ts";
