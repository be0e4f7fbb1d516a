/**
 * Bounded waits for tests: every wait names what it waits for and fails with that name when
 * its deadline passes, so a broken server fails a test instead of hanging the suite.
 *
 * @module
 */

/** Resolves as `promise` does, or rejects with "No WHAT within MS ms". */
export async function within<T>(promise: Promise<T>, what: string, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`No ${what} within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Polls `check` every `everyMs` (a state outside this process, such as /proc or a file, has no
 * event to wait on) until it returns a value other than `undefined`/`false`, and returns it.
 */
export async function eventually<T>(
  check: () => T | undefined | false | Promise<T | undefined | false>,
  what: string,
  ms: number,
  everyMs = 10,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`No ${what} within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
