/**
 * mod_reqtimeout's RequestReadTimeout: `header=20-40,MinRate=500 body=20,MinRate=500` in
 * httpd's syntax, or a map `{ header: "20-40,MinRate=500", body: 20 }`. A stage that is not
 * written keeps its earlier value (httpd merges stage by stage). Whether a range is sound
 * (maximum not below the timeout, MinRate given) is checked by `checkConfig()`.
 *
 * @module
 */

import {
  argsOf,
  describeValue,
  type Directive,
  DirectiveValueError,
  formatDuration,
  MAX_DURATION_MS,
} from "./directive.ts";
import type { ReadTimeout, ServerConfig } from "./server_config.ts";

/** The stages mpmd supports (httpd 2.4.39 added `handshake`, for TLS only). */
const STAGES = ["header", "body"] as const;
type Stage = typeof STAGES[number];

/** The written stages of one RequestReadTimeout. */
export type RequestReadTimeoutValue = { readonly [S in Stage]?: ReadTimeout };

/** httpd 2.4's default: `header=20-40,MinRate=500 body=20,MinRate=500`. */
export const DEFAULT_REQUEST_READ_TIMEOUT: ServerConfig["requestReadTimeout"] = {
  header: { initialMs: 20_000, maxMs: 40_000, minRateBytesPerSec: 500 },
  body: { initialMs: 20_000, maxMs: Number.MAX_SAFE_INTEGER, minRateBytesPerSec: 500 },
};

const SYNTAX_HELP = "(stage=timeout[-maxtimeout][,MinRate=rate], stage header or body)";

/** RequestReadTimeout: time limits and minimum data rates for reading a request. */
export const REQUEST_READ_TIMEOUT: Directive<RequestReadTimeoutValue> = {
  name: "RequestReadTimeout",
  help: "Time limits and minimum rates for receiving request headers and body",
  default: DEFAULT_REQUEST_READ_TIMEOUT,
  parse(value) {
    const stages: Record<string, unknown> = {};
    if (typeof value === "string") {
      for (const arg of argsOf(value)) {
        const eq = arg.indexOf("=");
        if (eq < 0) throw new DirectiveValueError(`${JSON.stringify(arg)} is not ${SYNTAX_HELP}`);
        stages[arg.slice(0, eq)] = arg.slice(eq + 1);
      }
    } else if (value !== null && typeof value === "object" && !Array.isArray(value)) {
      Object.assign(stages, value);
    } else {
      throw new DirectiveValueError(`${describeValue(value)} is not ${SYNTAX_HELP}`);
    }
    const result: { [S in Stage]?: ReadTimeout } = {};
    for (const [name, spec] of Object.entries(stages)) {
      const stage = STAGES.find((s) => s === name.toLowerCase());
      if (stage === undefined) {
        throw new DirectiveValueError(
          `${JSON.stringify(name)} is not a stage mpmd supports (${STAGES.join(", ")})`,
        );
      }
      result[stage] = parseStage(spec, stage);
    }
    return result;
  },
  combine: (earlier, later) => ({ ...earlier, ...later }),
};

function parseStage(spec: unknown, stage: Stage): ReadTimeout {
  if (typeof spec === "number") spec = String(spec);
  if (typeof spec !== "string") {
    throw new DirectiveValueError(`${stage}: ${describeValue(spec)} is not ${SYNTAX_HELP}`);
  }
  const [times = "", ...options] = spec.split(",");
  const m = /^(\d+)(?:-(\d+))?$/.exec(times.trim());
  if (!m) {
    throw new DirectiveValueError(
      `${stage}: ${
        JSON.stringify(times)
      } is not a timeout in seconds (timeout or timeout-maxtimeout)`,
    );
  }
  let minRate = 0;
  for (const option of options) {
    const r = /^\s*minrate=(\d+)\s*$/i.exec(option);
    if (!r || Number(r[1]) < 1) {
      throw new DirectiveValueError(
        `${stage}: ${JSON.stringify(option)} is not MinRate=<bytes per second, at least 1>`,
      );
    }
    minRate = Number(r[1]);
  }
  const initialMs = Number(m[1]) * 1000;
  if (Math.max(initialMs, Number(m[2] ?? 0) * 1000) > MAX_DURATION_MS) {
    throw new DirectiveValueError(
      `${stage}: ${JSON.stringify(times)} is above the maximum (${
        formatDuration(MAX_DURATION_MS)
      })`,
    );
  }
  // A MinRate without a range extends the deadline without a ceiling, as in httpd.
  const maxMs = m[2] !== undefined
    ? Number(m[2]) * 1000
    : minRate > 0
    ? Number.MAX_SAFE_INTEGER
    : initialMs;
  return { initialMs, maxMs, minRateBytesPerSec: minRate };
}
