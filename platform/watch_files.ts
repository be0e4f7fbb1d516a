/**
 * Watching source files for `--watch`: one callback per burst of changes (an editor's save is
 * often several events: write, rename, attribute change), after the burst has been quiet for a
 * moment.
 *
 * @module
 */

/** Options of {@link watchFiles}. */
export interface WatchFilesOptions {
  /**
   * File name endings that count; a change to any other file is ignored.
   * @default WATCHED_EXTENSIONS
   */
  readonly extensions?: readonly string[];
  /**
   * How long a burst must have been quiet before `onChange` is called.
   * @default 200
   */
  readonly debounceMs?: number;
}

/** The endings of the files a Deno module graph is made of. */
export const WATCHED_EXTENSIONS: readonly string[] = [
  ".ts",
  ".tsx",
  ".mts",
  ".js",
  ".jsx",
  ".mjs",
  ".json",
];

/** A running watch; disposing of it stops it. */
export interface FileWatch extends Disposable {
  /** Resolves when the watch has stopped. */
  readonly done: Promise<void>;
}

/**
 * Watches `dirs` recursively and calls `onChange` with the changed paths of each burst.
 *
 * @throws {Deno.errors.NotFound} when a directory does not exist.
 */
export function watchFiles(
  dirs: readonly string[],
  onChange: (paths: string[]) => void,
  options: WatchFilesOptions = {},
): FileWatch {
  const extensions = options.extensions ?? WATCHED_EXTENSIONS;
  const debounceMs = options.debounceMs ?? 200;
  const watcher = Deno.watchFs([...new Set(dirs)], { recursive: true });
  const changed = new Set<string>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const flush = () => {
    const paths = [...changed];
    changed.clear();
    onChange(paths);
  };
  const done = (async () => {
    for await (const event of watcher) {
      if (event.kind === "access" || event.kind === "other") continue;
      const paths = event.paths.filter((path) => extensions.some((ext) => path.endsWith(ext)));
      if (paths.length === 0) continue;
      for (const path of paths) changed.add(path);
      clearTimeout(timer);
      timer = setTimeout(flush, debounceMs);
    }
  })();
  return {
    done,
    [Symbol.dispose]() {
      clearTimeout(timer);
      try {
        watcher.close();
      } catch {
        // Closed already.
      }
    },
  };
}
