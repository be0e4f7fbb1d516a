/**
 * The scoreboard file (httpd's `ScoreBoardFile`): the one medium every process can read. The
 * parent creates it at its full size, each process writes its own region at its offset, and
 * anyone reads the whole file. All of the scoreboard's file I/O is here.
 *
 * @module
 */

import { tmpdir } from "node:os";
import { join } from "node:path";
import { decodeScoreboard, type ScoreboardDetail } from "./decode_scoreboard.ts";
import {
  decodeHeader,
  EMPTY_LEDGER,
  encodeHeader,
  type HeaderRecord,
  type Ledger,
} from "./header.ts";
import {
  decodeProcess,
  decodeSlot,
  HEADER_BYTES,
  PROCESS_RECORD_BYTES,
  regionBytes,
  regionOffset,
  scoreboardBytes,
  SLOT_RECORD_BYTES,
  slotOffset,
} from "./layout.ts";
import { addTallies, slotTally } from "./tally.ts";
import { ScoreboardError } from "./scoreboard_error.ts";
import { describeError } from "../base/mod.ts";

/** Where tmpfs lives on Linux: a file there never touches a disk. */
export const SHARED_MEMORY_DIR = "/dev/shm";

/** What the parent writes into a new scoreboard's header. */
export interface CreateScoreboardOptions {
  /** ServerLimit: how many process regions the file holds. */
  readonly serverLimit: number;
  /** ThreadLimit: how many slots each process region holds (1 under prefork). */
  readonly threadLimit: number;
  /** The generation the parent starts with. */
  readonly generation: number;
  /** Pid of the parent process that creates and owns the file. */
  readonly parentPid: number;
  /** The parent's start time (ms since the epoch); also the first restart time. */
  readonly nowMs: number;
  /** The MPM the first generation serves with. */
  readonly mpm: string;
}

/**
 * The default scoreboard path for a parent: `/dev/shm/mpmd-<pid>.scoreboard` when /dev/shm
 * exists, else the same name in the OS temp dir.
 */
export function defaultScoreboardPath(parentPid: number): string {
  const name = `mpmd-${parentPid}.scoreboard`;
  try {
    if (Deno.statSync(SHARED_MEMORY_DIR).isDirectory) return join(SHARED_MEMORY_DIR, name);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  return join(tmpdir(), name);
}

/**
 * An open scoreboard file: the parent's (create) or a process's (open). The parent may give
 * the file another shape ({@link ScoreboardFile.reshape}, when a restart changes the MPM); an
 * open file follows its path to the new one at its next write.
 */
export class ScoreboardFile implements Disposable {
  /** The file's path. */
  readonly path: string;
  #file: Deno.FsFile;
  #inode: number | null;
  #serverLimit: number;
  #threadLimit: number;

  private constructor(path: string, file: Deno.FsFile, serverLimit: number, threadLimit: number) {
    this.path = path;
    this.#file = file;
    this.#inode = file.statSync().ino;
    this.#serverLimit = serverLimit;
    this.#threadLimit = threadLimit;
  }

  /** ServerLimit of the file: how many process regions it holds. */
  get serverLimit(): number {
    return this.#serverLimit;
  }

  /** ThreadLimit of the file: how many slots each region holds. */
  get threadLimit(): number {
    return this.#threadLimit;
  }

  /**
   * Creates (or truncates) the file at its full size: the header, then every region empty.
   *
   * @throws {ScoreboardError} on a bad limit or if the file cannot be written
   */
  static create(path: string, options: CreateScoreboardOptions): ScoreboardFile {
    for (const name of ["serverLimit", "threadLimit"] as const) {
      const value = options[name];
      if (!Number.isInteger(value) || value < 1) {
        throw new ScoreboardError(
          `Cannot create scoreboard ${path}: ${name} ${value} is not a positive integer`,
        );
      }
    }
    const bytes = new Uint8Array(scoreboardBytes(options.serverLimit, options.threadLimit));
    encodeHeader(new DataView(bytes.buffer), {
      serverLimit: options.serverLimit,
      threadLimit: options.threadLimit,
      generation: options.generation,
      parentPid: options.parentPid,
      startTimeMs: options.nowMs,
      restartTimeMs: options.nowMs,
      mpm: options.mpm,
      ledger: EMPTY_LEDGER,
    });
    const file = wrap(
      `create scoreboard ${path}`,
      () =>
        Deno.openSync(path, { read: true, write: true, create: true, truncate: true, mode: 0o644 }),
    );
    const scoreboard = new ScoreboardFile(path, file, options.serverLimit, options.threadLimit);
    scoreboard.#writeAt(0, bytes, "create scoreboard");
    return scoreboard;
  }

  /**
   * Opens an existing file for writing this process's region.
   *
   * @throws {ScoreboardError} if the file is missing or not a scoreboard of this layout
   */
  static open(path: string): ScoreboardFile {
    const { file, header } = openScoreboard(path);
    return new ScoreboardFile(path, file, header.serverLimit, header.threadLimit);
  }

  /**
   * Rewrites the file at `path` in another shape, for the parent: the header and every
   * region copied (a process record and the slots both shapes have), then renamed over the
   * old file, so that a reader never sees half of it. Writers follow at their next write;
   * one that writes the old file meanwhile lands there once, and its next flush here.
   *
   * @param owner who the new file belongs to: the User of processes that gave up root and
   *   must open it again; omitted, whoever makes it.
   * @returns the parent's handle on the new file.
   * @throws {ScoreboardError} if a process in use has no region in the new shape, or on I/O
   */
  static reshape(
    path: string,
    limits: { readonly serverLimit: number; readonly threadLimit: number },
    owner?: { readonly uid: number; readonly gid: number },
  ): ScoreboardFile {
    const bytes = wrap(`reshape scoreboard ${path}`, () => Deno.readFileSync(path));
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const header = decodeHeader(view);
    const out = new Uint8Array(scoreboardBytes(limits.serverLimit, limits.threadLimit));
    encodeHeader(new DataView(out.buffer), { ...header, ...limits });
    const kept = Math.min(regionBytes(header.threadLimit), regionBytes(limits.threadLimit));
    for (let index = 0; index < header.serverLimit; index++) {
      const from = regionOffset(index, header.threadLimit);
      if (index < limits.serverLimit) {
        out.set(bytes.subarray(from, from + kept), regionOffset(index, limits.threadLimit));
      } else if (decodeProcess(view, from).pid !== 0) {
        throw new ScoreboardError(
          `Cannot reshape scoreboard ${path}: process region ${index} is in use and ServerLimit would be ${limits.serverLimit}`,
        );
      }
    }
    const next = `${path}.next`;
    wrap(`reshape scoreboard ${path}`, () => {
      Deno.writeFileSync(next, out, { mode: 0o644 });
      if (owner !== undefined) Deno.chownSync(next, owner.uid, owner.gid);
      Deno.renameSync(next, path);
    });
    return ScoreboardFile.open(path);
  }

  /**
   * Writes process `index`'s region (from {@link ProcessScoreboard.copyRegion}) at its offset.
   *
   * @throws {ScoreboardError} if the index or size does not fit the file, or the write fails
   */
  writeRegion(index: number, region: Uint8Array): void {
    this.#follow();
    this.#checkIndex(index, "write scoreboard region");
    const slots = (region.byteLength - PROCESS_RECORD_BYTES) / SLOT_RECORD_BYTES;
    if (!Number.isInteger(slots) || slots < 1) {
      throw new ScoreboardError(
        `Cannot write scoreboard region ${index}: ${region.byteLength} bytes is not a process record and whole slots`,
      );
    }
    // A process of another MPM than the file was shaped for (a restart switched it) writes
    // its record and the slots the file has room for; slots beyond its own stay open.
    const bytes = region.subarray(0, Math.min(region.byteLength, regionBytes(this.#threadLimit)));
    this.#writeAt(regionOffset(index, this.#threadLimit), bytes, "write scoreboard region");
  }

  /**
   * Empties process `index`'s region — its slots read as open (`.`), the process as gone —
   * after adding what it served (as last flushed) to the ledger, so totals never go back.
   */
  clearProcess(index: number): void {
    this.#checkIndex(index, "clear scoreboard process");
    const offset = regionOffset(index, this.#threadLimit);
    const region = new Uint8Array(regionBytes(this.#threadLimit));
    this.#readAt(offset, region, "clear scoreboard process");
    const header = this.#readHeader();
    this.#writeHeader({ ...header, ledger: withRetired(header.ledger, region, this.#threadLimit) });
    this.#writeAt(offset, new Uint8Array(region.byteLength), "clear scoreboard process");
  }

  /** Counts a child that exited unasked (`childCrashes`) or was recycled. */
  countChild(event: "childCrashes" | "childrenRecycled"): void {
    const header = this.#readHeader();
    this.#writeHeader({
      ...header,
      ledger: { ...header.ledger, [event]: header.ledger[event] + 1 },
    });
  }

  /** Records a new generation, when it started (a restart) and its MPM, for the parent. */
  setGeneration(generation: number, restartTimeMs: number, mpm: string): void {
    this.#writeHeader({ ...this.#readHeader(), generation, restartTimeMs, mpm });
  }

  /**
   * Opens the file at the path again when the parent has reshaped it (a new inode there);
   * a path gone (the parent removed it on its way out) keeps the file already open.
   */
  #follow(): void {
    let inode: number | null;
    try {
      inode = Deno.statSync(this.path).ino;
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return;
      throw new ScoreboardError(`Cannot write scoreboard ${this.path}: ${message(error)}`);
    }
    if (inode === this.#inode) return;
    const { file, header } = openScoreboard(this.path);
    this.#file.close();
    this.#file = file;
    this.#inode = inode;
    this.#serverLimit = header.serverLimit;
    this.#threadLimit = header.threadLimit;
  }

  /** Closes the file (the file itself stays; the parent removes it at exit). */
  close(): void {
    this.#file.close();
  }

  /** Same as {@link ScoreboardFile.close}, for `using`. */
  [Symbol.dispose](): void {
    this.close();
  }

  #readHeader(): HeaderRecord {
    const head = new Uint8Array(HEADER_BYTES);
    this.#readAt(0, head, "read scoreboard");
    return decodeHeader(new DataView(head.buffer));
  }

  #writeHeader(header: HeaderRecord): void {
    const bytes = new Uint8Array(HEADER_BYTES);
    encodeHeader(new DataView(bytes.buffer), header);
    this.#writeAt(0, bytes, "write scoreboard header");
  }

  #readAt(offset: number, target: Uint8Array, verb: string): void {
    wrap(`${verb} ${this.path}`, () => readFully(this.#file, offset, target));
  }

  #checkIndex(index: number, verb: string): void {
    if (!Number.isInteger(index) || index < 0 || index >= this.#serverLimit) {
      throw new ScoreboardError(
        `Cannot ${verb} ${index}: ServerLimit of ${this.path} is ${this.serverLimit}`,
      );
    }
  }

  // Sync on purpose: a seek and a write must not interleave with another flush's, and a
  // region is a few KiB on tmpfs, so the call is microseconds every 250 ms.
  #writeAt(offset: number, bytes: Uint8Array, verb: string): void {
    wrap(`${verb} ${this.path}`, () => {
      this.#file.seekSync(offset, Deno.SeekMode.Start);
      let written = 0;
      while (written < bytes.byteLength) {
        written += this.#file.writeSync(bytes.subarray(written));
      }
    });
  }
}

/** A process's own region, fresher than its last flush to the file. */
export interface LiveRegion {
  /** The process's index in the file. */
  readonly index: number;
  /** Its region now (from {@link ProcessScoreboard.copyRegion}). */
  readonly region: Uint8Array;
}

/**
 * Reads and decodes the whole scoreboard, from any process; `live` replaces the reader's own
 * region, which the file holds as it was up to a flush interval ago.
 *
 * @throws {ScoreboardError} if the file cannot be read or is not a scoreboard of this layout
 */
export async function readScoreboard(path: string, live?: LiveRegion): Promise<ScoreboardDetail> {
  let bytes: Uint8Array;
  try {
    bytes = await Deno.readFile(path);
  } catch (error) {
    throw new ScoreboardError(`Cannot read scoreboard ${path}: ${message(error)}`, {
      cause: error,
    });
  }
  if (live !== undefined) {
    const { threadLimit, serverLimit } = decodeHeader(
      new DataView(bytes.buffer, 0, bytes.byteLength),
    );
    if (live.index < serverLimit) {
      const kept = Math.min(live.region.byteLength, regionBytes(threadLimit));
      bytes.set(live.region.subarray(0, kept), regionOffset(live.index, threadLimit));
    }
  }
  return decodeScoreboard(bytes);
}

/** Opens a scoreboard file for reading and writing, with its header read. */
function openScoreboard(path: string): { file: Deno.FsFile; header: HeaderRecord } {
  const file = wrap(
    `open scoreboard ${path}`,
    () => Deno.openSync(path, { read: true, write: true }),
  );
  try {
    const head = new Uint8Array(HEADER_BYTES);
    const read = readFully(file, 0, head);
    return { file, header: decodeHeader(new DataView(head.buffer, 0, read)) };
  } catch (error) {
    file.close();
    throw error;
  }
}

/** `ledger` with a gone process's region (its slots' tallies, its thread restarts) added. */
function withRetired(ledger: Ledger, region: Uint8Array, threadLimit: number): Ledger {
  const view = new DataView(region.buffer, region.byteOffset, region.byteLength);
  const process = decodeProcess(view, 0);
  if (process.pid === 0) return ledger;
  const slots = Array.from(
    { length: threadLimit },
    (_, slot) => decodeSlot(view, slotOffset(slot)),
  );
  return {
    ...ledger,
    retiredThreadRestarts: ledger.retiredThreadRestarts + process.threadRestarts,
    retired: addTallies([ledger.retired, ...slots.map(slotTally)]),
  };
}

/** Reads into `target` from `offset` until it is full or the file ends; returns the bytes read. */
function readFully(file: Deno.FsFile, offset: number, target: Uint8Array): number {
  file.seekSync(offset, Deno.SeekMode.Start);
  let read = 0;
  while (read < target.byteLength) {
    const n = file.readSync(target.subarray(read));
    if (n === null) break;
    read += n;
  }
  return read;
}

function wrap<T>(what: string, action: () => T): T {
  try {
    return action();
  } catch (error) {
    if (error instanceof ScoreboardError) throw error;
    throw new ScoreboardError(`Cannot ${what}: ${message(error)}`, { cause: error });
  }
}

function message(error: unknown): string {
  return describeError(error);
}
