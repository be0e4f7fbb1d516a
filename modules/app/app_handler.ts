/**
 * App modules: a user's handler module in the `deno serve` convention
 * (`export default { fetch(request, info) { … } }`) mounted on a URL prefix of a host.
 *
 * @module
 */

import { fileURLToPath, pathToFileURL } from "node:url";
import type { AppMount } from "../../server/config/mod.ts";
import { fetchHandler, type FetchInfo, type Handler } from "../../server/http/mod.ts";
import { escapeLogItem, type Logger, stripAnsiSequences } from "../../server/log/mod.ts";
import { AppModuleError } from "./app_module_error.ts";
import { isUnderLocation } from "../_location.ts";
import { ResponseDeadlines } from "./_response_deadlines.ts";
import { describeError } from "../../base/mod.ts";

/** What {@link loadAppHandler} receives from the server. */
export interface AppContext {
  /** Where the module reports its mount (debug) and requests it left unanswered. */
  readonly logger: Logger;
  /**
   * RequestTimeout: how long `fetch` may take to return a response, counted again from each
   * chunk of request body it reads; 0: no limit.
   */
  readonly requestTimeoutMs: number;
  /** Resolves with the addresses the slot accepts on, once it does: the time of `onListen`. */
  readonly listening: Promise<readonly Deno.NetAddr[]>;
}

/** The shape `deno serve` expects as a module's default export. */
export interface ServeDefault {
  /** Answers one request: a `Response`, or a promise of one. */
  fetch(request: Request, info: FetchInfo): unknown;
  /** Called once the slot listens, with each address (as `deno serve` calls it). */
  onListen?(localAddr: Deno.NetAddr): void;
}

function isServeDefault(value: unknown): value is ServeDefault {
  return typeof value === "object" && value !== null &&
    typeof (value as { fetch?: unknown }).fetch === "function";
}

/**
 * Imports `mount.module` and returns a handler that passes the requests under
 * `mount.location` to its default export's `fetch(request, info)`; other requests get `null`
 * synchronously (the next handler tries), and a returned promise always resolves to an answer.
 *
 * The app sees the full URL: the Location prefix is not stripped (a module mounted on `/api`
 * gets `http://host/api/users`, not `/users`). `info` holds `remoteAddr` and `completed`; an
 * `onListen` of the module is called once the slot accepts. The module runs in the server's
 * isolate with the server's permissions; an error it throws, or a value
 * it returns that is not a `Response`, becomes the engine's 500 and an error-log entry. A
 * `fetch` that returns no response within `context.requestTimeoutMs` is answered 504 (with
 * `Connection: close`) and logged; its late response is discarded.
 *
 * A path is matched as the app's URL shows it (dot segments resolved), with runs of `/`
 * merged and escapes of unreserved characters decoded, as the static handler reads it: a
 * request for `/%61pi/x` or `/x/../api` reaches the app mounted on `/api`.
 *
 * @throws {AppModuleError} when the import fails (a syntax error, a missing import, a throw
 *   at top level), with the failure as `cause`; or when the default export has no `fetch`.
 */
export async function loadAppHandler(mount: AppMount, context: AppContext): Promise<Handler> {
  const app = await importAppModule(mount.module);
  if (typeof app.onListen === "function") callOnListen(app, mount.module, context);
  const checked = (request: Request, response: unknown): Response => {
    if (response instanceof Response) return response;
    throw new TypeError(
      `Cannot answer ${request.url}: app module ${mount.module} returned ${
        describe(response)
      }, not a Response`,
    );
  };
  const call = fetchHandler((request, info) => {
    const response = app.fetch(request, info);
    return response instanceof Response
      ? response
      : Promise.resolve(response).then((made) => checked(request, made));
  });
  const { logger, requestTimeoutMs } = context;
  const deadlines = new ResponseDeadlines(requestTimeoutMs, (request) =>
    logger.error(
      `Cannot answer ${request.method} ${
        escapeLogItem(request.target)
      }: app module ${mount.module} returned no response within RequestTimeout (${
        requestTimeoutMs / 1000
      } s); answered 504`,
    ));
  logger.debug(`Mounted app module ${mount.module} on ${mount.location}`);
  const { location } = mount;
  return (request) => isUnderLocation(request.path, location) ? deadlines.run(request, call) : null;
}

/**
 * Imports an app module and checks its default export, as a slot does before it serves (and
 * `-t`, so that a module that cannot load fails the check). The module's top-level code runs.
 *
 * @param module the module's absolute path.
 * @throws {AppModuleError} when the import fails or the default export has no `fetch`.
 */
export async function importAppModule(module: string): Promise<ServeDefault> {
  const app = await importDefault(module);
  if (!isServeDefault(app)) {
    throw new AppModuleError(
      `Cannot load app module ${module}: its default export has no fetch function`,
    );
  }
  return app;
}

/** Calls the module's `onListen` with each address once the slot accepts; logs what it throws. */
function callOnListen(app: ServeDefault, module: string, context: AppContext): void {
  void context.listening.then((addresses) => {
    for (const address of addresses) {
      try {
        app.onListen!(address);
      } catch (error) {
        context.logger.error(`app module ${module}: onListen threw`, error);
      }
    }
  });
}

async function importDefault(module: string): Promise<unknown> {
  let namespace: { default?: unknown };
  try {
    namespace = await import(pathToFileURL(module).href);
  } catch (error) {
    // Whatever the user's module throws while loading is a reason to refuse it, not a bug here.
    const reason = loadFailure(error);
    throw new AppModuleError(`Cannot load app module ${module}: ${reason}`, { cause: error });
  }
  return namespace.default;
}

/** A place in a module as Deno's load errors end with it: `    at file:///a/b.ts:1:25`. */
const PLACE = /^\s*at (file:\/\/\S+?):(\d+):(\d+)$/;

/**
 * Why a module did not load, on one line. Deno's load errors (a syntax error, an import that
 * does not resolve) add a code frame and the place on lines of their own, which a log line
 * would carry as escaped `\n`s (and colour codes, whatever the terminal): the first line is
 * kept, and the place once, as a path.
 */
function loadFailure(error: unknown): string {
  const [first = "", ...rest] = stripAnsiSequences(describeError(error)).split("\n");
  const place = rest.map((line) => PLACE.exec(line)).filter((match) => match !== null).at(-1);
  if (place === undefined) return first;
  const [, url, line, column] = place;
  return `${first} (at ${fileURLToPath(url!)}:${line}:${column})`;
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "object") return `an object (${value.constructor?.name ?? "no class"})`;
  return typeof value;
}
