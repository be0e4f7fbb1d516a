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
  regionBytes,
  regionOffset,
  scoreboardBytes,
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

/** An open scoreboard file: the parent's (create) or a process's (open). */
export class ScoreboardFile implements Disposable {
  /** The file's path. */
  readonly path: string;
  /** ServerLimit of the file. */
  readonly serverLimit: number;
  /** ThreadLimit of the file. */
  readonly threadLimit: number;
  readonly #file: Deno.FsFile;

  private constructor(path: string, file: Deno.FsFile, serverLimit: number, threadLimit: number) {
    this.path = path;
    this.#file = file;
    this.serverLimit = serverLimit;
    this.threadLimit = threadLimit;
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
    const file = wrap(
      `open scoreboard ${path}`,
      () => Deno.openSync(path, { read: true, write: true }),
    );
    try {
      const head = new Uint8Array(HEADER_BYTES);
      const read = readFully(file, 0, head);
      const header = decodeHeader(new DataView(head.buffer, 0, read));
      return new ScoreboardFile(path, file, header.serverLimit, header.threadLimit);
    } catch (error) {
      file.close();
      throw error;
    }
  }

  /**
   * Writes process `index`'s region (from {@link ProcessScoreboard.copyRegion}) at its offset.
   *
   * @throws {ScoreboardError} if the index or size does not fit the file, or the write fails
   */
  writeRegion(index: number, region: Uint8Array): void {
    this.#checkIndex(index, "write scoreboard region");
    if (region.byteLength !== regionBytes(this.threadLimit)) {
      throw new ScoreboardError(
        `Cannot write scoreboard region ${index}: ${region.byteLength} bytes, the file's ThreadLimit ${this.threadLimit} needs ${
          regionBytes(this.threadLimit)
        }`,
      );
    }
    this.#writeAt(regionOffset(index, this.threadLimit), region, "write scoreboard region");
  }

  /**
   * Empties process `index`'s region — its slots read as open (`.`), the process as gone —
   * after adding what it served (as last flushed) to the ledger, so totals never go back.
   */
  clearProcess(index: number): void {
    this.#checkIndex(index, "clear scoreboard process");
    const offset = regionOffset(index, this.threadLimit);
    const region = new Uint8Array(regionBytes(this.threadLimit));
    this.#readAt(offset, region, "clear scoreboard process");
    const header = this.#readHeader();
    this.#writeHeader({ ...header, ledger: withRetired(header.ledger, region, this.threadLimit) });
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

  /** Records a new generation and when it started (a restart), for the parent. */
  setGeneration(generation: number, restartTimeMs: number): void {
    this.#writeHeader({ ...this.#readHeader(), generation, restartTimeMs });
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
    if (!Number.isInteger(index) || index < 0 || index >= this.serverLimit) {
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
    if (live.index < serverLimit && live.region.byteLength === regionBytes(threadLimit)) {
      bytes.set(live.region, regionOffset(live.index, threadLimit));
    }
  }
  return decodeScoreboard(bytes);
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
