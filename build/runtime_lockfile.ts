/**
 * The lockfile a build compiles with: `deno.lock` cut down to the npm packages the runtime
 * import map needs and what they depend on. `deno compile` embeds every package of the
 * lockfile it is given, and the repository's also pins what the tests use. Pure.
 *
 * @module
 */

/** One npm package of a lockfile: what it depends on (its integrity and the rest kept as is). */
export interface NpmEntry {
  readonly dependencies?: readonly string[];
  readonly [key: string]: unknown;
}

/** The parts of a `deno.lock` (version 4 and later) this reads; the rest is kept as is. */
export interface DenoLock {
  readonly specifiers?: Readonly<Record<string, string>>;
  readonly npm?: Readonly<Record<string, NpmEntry>>;
  readonly workspace?: { readonly dependencies?: readonly string[] };
  readonly [key: string]: unknown;
}

/**
 * Keeps the specifiers the workspace (the import map) depends on, and the npm packages they
 * reach.
 *
 * @param lock the parsed `deno.lock`.
 * @returns the same lockfile with every other npm package left out.
 */
export function runtimeLockfile(lock: DenoLock): DenoLock {
  const npm = lock.npm ?? {};
  const keyOf = (dependency: string): string | undefined =>
    // A dependency is `name` (one version in the lockfile) or `name@version`.
    npm[dependency] !== undefined
      ? dependency
      : Object.keys(npm).find((key) => key.startsWith(`${dependency}@`));
  const direct = lock.workspace?.dependencies ?? [];
  const specifiers = Object.fromEntries(
    Object.entries(lock.specifiers ?? {}).filter(([specifier]) => direct.includes(specifier)),
  );
  const kept = new Set<string>();
  const pending = Object.entries(specifiers).map(([specifier, version]) =>
    `${specifier.replace(/^npm:/, "").replace(/@[^@]*$/, "")}@${version}`
  );
  while (pending.length > 0) {
    const key = keyOf(pending.pop()!);
    if (key === undefined || kept.has(key)) continue;
    kept.add(key);
    pending.push(...(npm[key]!.dependencies ?? []));
  }
  return {
    ...lock,
    specifiers,
    npm: Object.fromEntries(Object.entries(npm).filter(([key]) => kept.has(key))),
  };
}
