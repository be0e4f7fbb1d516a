/**
 * Starts the real mpmd (`deno run main.ts …`) as a child process for end-to-end tests and
 * waits for its readiness line on stderr — never for a guessed time.
 *
 * @module
 */

const MAIN = new URL("../main.ts", import.meta.url).pathname;
/** The readiness line, in the default layout or as a JSON `message` (`ErrorLogFormat: json`). */
const READY = /Listening on http:\/\/([^\s/"]+)\/?(?:"\})?$/;
// A bound, not a wait: generous, because a 2-core machine running the suite in parallel can
// take many seconds to start a pool of isolates.
const READY_DEADLINE_MS = 60_000;

/** A running mpmd under test. */
export interface TestServer extends AsyncDisposable {
  /** `http://127.0.0.1:PORT` of the first listener. */
  readonly origin: string;
  readonly hostname: string;
  readonly port: number;
  readonly pid: number;
  /** The temp file holding the config (rewrite it to test a restart), or `null`. */
  readonly configFile: string | null;
  /** Every stderr line so far. */
  readonly stderr: string[];
  /** Waits (up to `deadlineMs`) until a stderr line matches, and returns it. */
  waitForLog(pattern: RegExp, deadlineMs?: number): Promise<string>;
  /** Sends `signal` and waits for exit; returns the exit code. */
  stop(signal?: Deno.Signal): Promise<number>;
  /** Everything it wrote to stdout, once it has exited; `""` unless `captureStdout`. */
  readonly stdout: Promise<string>;
}

/**
 * The test runner's Deno cache, for a server a test starts as root with a User, hard-linked (no copying) into
 * a directory of `mode`: threads load mpmd's code after the drop, and the runner's cache may
 * sit in root's home, where the User cannot read it.
 */
export async function denoDirCopy(
  mode = 0o755,
): Promise<{ readonly path: string } & AsyncDisposable> {
  const out = await new Deno.Command(Deno.execPath(), { args: ["info", "--json"] }).output();
  const { denoDir } = JSON.parse(new TextDecoder().decode(out.stdout)) as { denoDir: string };
  const path = await Deno.makeTempDir({ prefix: "mpmd-deno-dir-" });
  await Deno.chmod(path, mode);
  const copy = await new Deno.Command("cp", {
    args: ["-al", `${denoDir}/npm`, `${denoDir}/gen`, path],
  }).output();
  if (copy.code !== 0) throw new Error(`cp: ${new TextDecoder().decode(copy.stderr)}`);
  return { path, [Symbol.asyncDispose]: () => Deno.remove(path, { recursive: true }) };
}

/** A config file in the temp directory, removed when disposed (`await using`). */
export async function tempConfig(
  yaml: string,
): Promise<{ readonly path: string } & AsyncDisposable> {
  const path = await Deno.makeTempFile({ suffix: ".yaml" });
  await Deno.writeTextFile(path, yaml);
  return { path, [Symbol.asyncDispose]: () => Deno.remove(path).catch(() => {}) };
}

/**
 * Runs mpmd to completion (for -t, -V, bad configs) and returns its output; `main` is the
 * entry module (a staged build's, say).
 */
export async function runMpmd(
  args: string[],
  env: Readonly<Record<string, string>> = {},
  main: string = MAIN,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", main, ...args],
    stdin: "null",
    env: { NO_COLOR: "1", ...env },
  }).output();
  const decoder = new TextDecoder();
  return { code: out.code, stdout: decoder.decode(out.stdout), stderr: decoder.decode(out.stderr) };
}

/**
 * The pool for tests about HTTP behaviour rather than MPMs: one child of two threads under the
 * platform's default MPM (event on Linux). httpd's defaults start 75 threads, each a V8
 * isolate, which a test machine running many servers at once cannot afford.
 */
export const SMALL_POOL = `
event:
  StartServers: 1
  ThreadsPerChild: 2
  MinSpareThreads: 1
  MaxSpareThreads: 3
`;

/** {@link SMALL_POOL} in httpd.conf's words, with the event MPM loaded. */
export const SMALL_POOL_CONF = `
LoadModule mpm_event_module modules/mod_mpm_event.so
StartServers 1
ThreadsPerChild 2
MinSpareThreads 1
MaxSpareThreads 3
`;

/** Options of {@link startMpmd}. */
export interface StartMpmdOptions {
  /**
   * Environment variables for the server (e.g. `MPMD_ACCEPT=reuseport`).
   * @default {}
   */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * The entry module: another copy of mpmd's `main.ts` (a staged build's).
   * @default {the repository's main.ts}
   */
  readonly main?: string;
  /**
   * Keep what the server writes to stdout (for {@link TestServer.stdout}) rather than drop it.
   * @default {false}
   */
  readonly captureStdout?: boolean;
  /**
   * The server's working directory (relative paths on its command line are read from there).
   * @default {this process's}
   */
  readonly cwd?: string;
  /**
   * What `deno run` gets before the entry module.
   * @default {["-A"]}
   */
  readonly runFlags?: readonly string[];
}

/**
 * Writes `yaml` to a temp file, starts `mpmd -f thatfile …args`, waits until it listens. A
 * config that chooses no MPM gets {@link SMALL_POOL}.
 */
export async function startMpmd(
  yaml: string | null,
  args: string[] = [],
  options: StartMpmdOptions = {},
): Promise<TestServer> {
  const fileArgs: string[] = [];
  let configFile: string | null = null;
  if (yaml !== null) {
    configFile = await Deno.makeTempFile({ suffix: ".yaml" });
    await Deno.writeTextFile(configFile, /^MPM:/m.test(yaml) ? yaml : yaml + SMALL_POOL);
    fileArgs.push("-f", configFile);
  }
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", ...(options.runFlags ?? ["-A"]), options.main ?? MAIN, ...fileArgs, ...args],
    stdin: "null",
    stdout: options.captureStdout ? "piped" : "null",
    stderr: "piped",
    env: { NO_COLOR: "1", ...options.env },
    ...(options.cwd !== undefined && { cwd: options.cwd }),
  }).spawn();
  const stdout = options.captureStdout ? new Response(child.stdout).text() : Promise.resolve("");

  const stderr: string[] = [];
  const waiters: Array<{ pattern: RegExp; resolve: (line: string) => void }> = [];
  let exited = false;
  const pump = (async () => {
    let pending = "";
    for await (const text of child.stderr.pipeThrough(new TextDecoderStream())) {
      pending += text;
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) {
        stderr.push(line);
        for (const w of [...waiters]) {
          if (w.pattern.test(line)) {
            waiters.splice(waiters.indexOf(w), 1);
            w.resolve(line);
          }
        }
      }
    }
  })();
  const status = child.status.then((s) => {
    exited = true;
    return s;
  });

  function waitForLog(pattern: RegExp, deadlineMs = READY_DEADLINE_MS): Promise<string> {
    const seen = stderr.find((line) => pattern.test(line));
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(
          new Error(
            `No log line matching ${pattern} within ${deadlineMs} ms:\n${stderr.join("\n")}`,
          ),
        );
      }, deadlineMs);
      const waiter = {
        pattern,
        resolve: (line: string) => {
          clearTimeout(timer);
          resolve(line);
        },
      };
      waiters.push(waiter);
      status.then(async () => {
        await pump;
        if (waiters.includes(waiter)) {
          clearTimeout(timer);
          reject(new Error(`mpmd exited before logging ${pattern}:\n${stderr.join("\n")}`));
        }
      });
    });
  }

  async function stop(signal: Deno.Signal = "SIGTERM"): Promise<number> {
    if (!exited) child.kill(signal);
    const { code } = await status;
    await pump;
    if (configFile !== null) {
      const file = configFile;
      configFile = null;
      await Deno.remove(file);
    }
    return code;
  }

  let ready: string;
  try {
    ready = await waitForLog(READY);
  } catch (error) {
    await stop("SIGKILL");
    throw error;
  }
  const origin = `http://${READY.exec(ready)![1]}`;
  const url = new URL(origin);
  return {
    origin,
    hostname: url.hostname.replace(/^\[|\]$/g, ""),
    port: Number(url.port),
    pid: child.pid,
    configFile,
    stderr,
    waitForLog,
    stop,
    stdout,
    async [Symbol.asyncDispose]() {
      if (!exited) await stop();
    },
  };
}
