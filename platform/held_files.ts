/**
 * Files a process opens for appending before it gives up root (its logs), held open and
 * written by descriptor ever after, as httpd's children write the logs their root parent
 * opened: the User need not be able to open them. Descriptors belong to the process, so every
 * isolate in it can write them; each isolate learns them once ({@link adoptHeldFiles}).
 *
 * @module
 */

import { check, libc } from "./_libc.ts";

const O_WRONLY = 0o1;
const O_CREAT = 0o100;
const O_APPEND = 0o2000;
const O_CLOEXEC = 0o2000000;
/** As Deno creates files: what the umask leaves of read-write for all. */
const CREATE_MODE = 0o666;

/** Held files: path → descriptor, the same in every isolate of the process. */
export type HeldFiles = Readonly<Record<string, number>>;

/** Writes one held descriptor, synchronously (a log file: a local disk, short waits). */
export interface HeldFileWriter {
  /** Writes part or all of `p`; resolves with the bytes written. */
  write(p: Uint8Array): Promise<number>;
  /** Writes part or all of `p`; returns the bytes written. */
  writeSync(p: Uint8Array): number;
}

let held: HeldFiles = {};

/**
 * Opens each of `paths` for appending (created if missing) and holds it in this isolate.
 *
 * @returns the held files, for the isolates started after this ({@link adoptHeldFiles}).
 * @throws {Error} naming the file and the OS's reason when one cannot be opened.
 */
export function holdFiles(paths: Iterable<string>): HeldFiles {
  const opened: Record<string, number> = { ...held };
  for (const path of paths) {
    if (opened[path] !== undefined) continue;
    const name = new TextEncoder().encode(`${path}\0`);
    opened[path] = check(
      `open ${path}`,
      libc().open(name, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, CREATE_MODE),
    );
  }
  held = opened;
  return held;
}

/** The files this isolate knows to be held, for the isolates it starts. */
export function heldFiles(): HeldFiles {
  return held;
}

/** Makes files another isolate of this process holds writable from this one. */
export function adoptHeldFiles(files: HeldFiles): void {
  held = files;
}

/** A writer on the held descriptor of `path`, or `null` when the process holds none for it. */
export function heldFileWriter(path: string): HeldFileWriter | null {
  const fd = held[path];
  if (fd === undefined) return null;
  const writeSync = (p: Uint8Array) =>
    check(`write ${path}`, Number(libc().write(fd, p, BigInt(p.length))));
  return { writeSync, write: (p) => Promise.resolve().then(() => writeSync(p)) };
}
