/**
 * The one line a log entry, a message to the parent or a refusal gives of a caught error.
 *
 * @module
 */

/** An error's message, or the thrown value as text when it is not an Error. */
export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
