/**
 * Log directives: ErrorLog, ErrorLogFormat, LogFormat and CustomLog. A CustomLog's format may be a LogFormat
 * nickname; `checkConfig()` resolves it once every LogFormat is known.
 *
 * @module
 */

import { resolve } from "node:path";
import {
  argsOf,
  describeValue,
  type Directive,
  type DirectiveContext,
  DirectiveValueError,
  itemList,
  oneOf,
  parseText,
} from "./directive.ts";
import { ERROR_LOG_FORMATS, type ErrorLogFormat, LOG_FORMAT_NICKNAMES } from "../log/mod.ts";
import type { CustomLog } from "./server_config.ts";

/** Access logs may go to either stream; the error log only to stderr (the contract's choice). */
const ACCESS_LOG_STREAMS = ["stdout", "stderr"];
const ERROR_LOG_STREAMS = ["stderr"];

/** ErrorLog: a file (relative to ServerRoot) or `stderr`; mpmd's default is stderr (containers). */
export const ERROR_LOG: Directive<string> = {
  name: "ErrorLog",
  help: "Where the error log goes: stderr or a file",
  default: "stderr",
  parse(value, ctx) {
    return logPath(parseText(value, ctx), ctx, ERROR_LOG_STREAMS);
  },
};

const ERROR_LOG_FORMAT_KEYWORD = oneOf<ErrorLogFormat>({
  name: "ErrorLogFormat",
  help: "How error-log entries are written: httpd's default layout, or one JSON object per line",
  default: "default",
  values: ERROR_LOG_FORMATS,
});

/**
 * ErrorLogFormat: one of two keywords. httpd's format strings (`"[%t] [%l] %M"`, and its
 * `connection`/`request` forms) are refused rather than ignored, so that a YAML config never
 * silently writes another layout than the one it asks for (the httpd.conf reader drops them
 * with a warning before they get here, so that a stock httpd.conf loads).
 */
export const ERROR_LOG_FORMAT: Directive<ErrorLogFormat> = {
  ...ERROR_LOG_FORMAT_KEYWORD,
  parse(value, ctx) {
    try {
      return ERROR_LOG_FORMAT_KEYWORD.parse(value, ctx);
    } catch (e) {
      if (!(e instanceof DirectiveValueError)) throw e;
      throw new DirectiveValueError(
        `${describeValue(value)} is not ${ERROR_LOG_FORMATS.join(" or ")} ` +
          "(httpd's format strings are not supported)",
        { cause: e },
      );
    }
  },
};

/** LogFormat: nickname → format string; adds to (or overrides) `common` and `combined`. */
export const LOG_FORMAT: Directive<Readonly<Record<string, string>>> = {
  name: "LogFormat",
  help: "Access log formats by nickname (common and combined are built in)",
  default: LOG_FORMAT_NICKNAMES,
  parse(value) {
    if (typeof value === "string") {
      const args = argsOf(value);
      if (args.length !== 2) {
        throw new DirectiveValueError(
          `${JSON.stringify(value)} is not a quoted format followed by a nickname`,
        );
      }
      return { [args[1]!]: args[0]! };
    }
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
      throw new DirectiveValueError(`${describeValue(value)} is not a map of nicknames to formats`);
    }
    const formats: Record<string, string> = {};
    for (const [nickname, format] of Object.entries(value)) {
      if (typeof format !== "string") {
        throw new DirectiveValueError(
          `${nickname}: ${describeValue(format)} is not a format string`,
        );
      }
      formats[nickname] = format;
    }
    return formats;
  },
  combine: (earlier, later) => ({ ...earlier, ...later }),
};

/** CustomLog: access logs as `"path format-or-nickname"` strings or `{ path, format }` maps. */
export const CUSTOM_LOG: Directive<readonly CustomLog[]> = itemList({
  name: "CustomLog",
  help: "Access logs: a file (or stdout/stderr) and a format or LogFormat nickname",
  default: [],
}, parseCustomLog);

function parseCustomLog(item: unknown, ctx: DirectiveContext): CustomLog {
  if (typeof item === "string") {
    const args = argsOf(item);
    if (args.length !== 2) {
      throw new DirectiveValueError(
        `${JSON.stringify(item)} is not "path format-or-nickname" (quote a format that has spaces)`,
      );
    }
    return { path: logPath(args[0]!, ctx, ACCESS_LOG_STREAMS), format: args[1]! };
  }
  if (item === null || typeof item !== "object" || Array.isArray(item)) {
    throw new DirectiveValueError(`${describeValue(item)} is not a log ("path format" or a map)`);
  }
  const { path, format, ...rest } = item as Record<string, unknown>;
  const extra = Object.keys(rest);
  if (extra.length > 0) {
    throw new DirectiveValueError(
      `${JSON.stringify(extra[0])} is not a CustomLog key (path, format)`,
    );
  }
  if (typeof path !== "string" || path === "" || typeof format !== "string" || format === "") {
    throw new DirectiveValueError("a CustomLog map needs a path and a format, both strings");
  }
  return { path: logPath(path, ctx, ACCESS_LOG_STREAMS), format };
}

function logPath(text: string, ctx: DirectiveContext, streams: readonly string[]): string {
  const isStream = text === "stdout" || text === "stderr";
  if (text.startsWith("|") || text.startsWith("syslog") || (isStream && !streams.includes(text))) {
    throw new DirectiveValueError(
      `${JSON.stringify(text)} is not supported here (use a file or ${streams.join(" or ")})`,
    );
  }
  return isStream ? text : resolve(ctx.serverRoot, text);
}
