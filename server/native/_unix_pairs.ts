/**
 * Connected pairs of Unix stream sockets inside one isolate, and a relay between a connection
 * and one end of a pair. Deno's HTTP server serves only connections that are Deno resources;
 * a TLS connection made by Node's TLS (on a descriptor mpmd accepted itself) is not one, so
 * its decrypted bytes are relayed to one end of a pair and the server is given the other.
 *
 * @module
 */

import { readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Bytes read at a time on each side of a relay. */
const RELAY_CHUNK_BYTES = 64 * 1024;

/**
 * The start of the name of a pairs directory made by process `pid`: the pid, so that what a
 * process killed before it could clean up is found by the parent that reaps it.
 */
const pairsDirPrefix = (pid: number) => `mpmd-pairs-${pid}-`;

/**
 * Removes the pairs directories that process `pid` left in the temporary directory: an
 * isolate removes its own when its engine shuts down, one killed first cannot. For the parent,
 * once it has reaped the process.
 *
 * @returns the directories removed.
 */
export function removePairsLeftBy(pid: number): string[] {
  const prefix = pairsDirPrefix(pid);
  const left = readdirSync(tmpdir()).filter((name) => name.startsWith(prefix));
  const paths = left.map((name) => join(tmpdir(), name));
  for (const path of paths) rmSync(path, { recursive: true, force: true });
  return paths;
}

/**
 * Makes connected pairs through one listener in a private temporary directory, one pair at a
 * time: an accepted end then always belongs to the connect that came just before it.
 */
export class UnixPairs {
  #listener: Deno.UnixListener | null = null;
  #dir: string | null = null;
  #queue: Promise<unknown> = Promise.resolve();

  /**
   * A new connected pair: `[near, far]`.
   *
   * @throws {Deno.errors.PermissionDenied} when no temporary directory can be made.
   */
  open(): Promise<[Deno.UnixConn, Deno.UnixConn]> {
    const made = this.#queue.then(() => this.#make());
    this.#queue = made.catch(() => {});
    return made;
  }

  async #make(): Promise<[Deno.UnixConn, Deno.UnixConn]> {
    if (this.#listener === null) {
      this.#dir = await Deno.makeTempDir({ dir: tmpdir(), prefix: pairsDirPrefix(Deno.pid) });
      this.#listener = Deno.listen({ transport: "unix", path: `${this.#dir}/pairs.sock` });
    }
    const near = await Deno.connect({ transport: "unix", path: `${this.#dir}/pairs.sock` });
    try {
      return [near, await this.#listener.accept()];
    } catch (error) {
      near.close();
      throw error;
    }
  }

  /** Closes the listener and removes its directory; pairs made stay connected. */
  close(): void {
    this.#listener?.close();
    this.#listener = null;
    if (this.#dir !== null) Deno.removeSync(this.#dir, { recursive: true });
    this.#dir = null;
  }
}

/**
 * Copies bytes both ways between `outer` (the client's connection) and `inner` until the inner
 * side ends, then closes both. The client's end of input is passed on as a half close, so that
 * what the inner side still has to say goes out. `onError` hears why a side failed (a client
 * that reset its connection, mostly). Settles when both are closed.
 */
export async function relay(
  outer: Deno.Conn,
  inner: Deno.Conn,
  onError: (error: unknown) => void,
): Promise<void> {
  const closeBoth = () => {
    for (const conn of [outer, inner]) {
      try {
        conn.close();
      } catch {
        // Closed already.
      }
    }
  };
  // One write in flight while the next read runs, into the other of two buffers: the two
  // sides work at once instead of in turn.
  const pump = async (from: Deno.Conn, to: Deno.Conn) => {
    let buffer = new Uint8Array(RELAY_CHUNK_BYTES);
    let spare = new Uint8Array(RELAY_CHUNK_BYTES);
    let writing: Promise<void> = Promise.resolve();
    for (;;) {
      const n = await from.read(buffer);
      await writing;
      if (n === null) return;
      writing = writeAll(to, buffer.subarray(0, n));
      // Handled here too: it may fail while the next read is awaited (the await above rethrows).
      writing.catch(() => {});
      [buffer, spare] = [spare, buffer];
    }
  };
  // Handled at once, not when awaited below: a rejection left unhandled meanwhile would end
  // the isolate.
  const inward = pump(outer, inner).then(() => inner.closeWrite()).catch((error) => {
    onError(error);
    closeBoth();
  });
  try {
    await pump(inner, outer);
    await outer.closeWrite();
  } catch (error) {
    onError(error);
  } finally {
    closeBoth();
  }
  await inward;
}

async function writeAll(conn: Deno.Conn, bytes: Uint8Array): Promise<void> {
  let written = 0;
  while (written < bytes.length) written += await conn.write(bytes.subarray(written));
}
