/**
 * The Status directive: where a host serves mod_status's page (and its `?auto` and `?json`
 * forms) and the Prometheus metrics, and which clients may read them.
 *
 * @module
 */

import { parseAllowWord } from "./address_range.ts";
import {
  argsOf,
  describeValue,
  type Directive,
  DirectiveValueError,
  wordsOf,
} from "./directive.ts";
import { locationProblem } from "./_location.ts";
import type { StatusConfig } from "./server_config.ts";

/** Where the metrics are served when Status does not say. */
export const DEFAULT_METRICS_LOCATION = "/metrics";

/**
 * Status: `{ Location, Metrics, Allow }`, or `"Location"` alone (a `-c` argument); `Off`
 * (the default) serves neither. Allow defaults to `local`, as httpd's stock `Require local`.
 */
export const STATUS: Directive<StatusConfig | null> = {
  name: "Status",
  help: "Serve the server-status page (and /metrics) on a Location, to the clients in Allow",
  default: null,
  parse(value) {
    if (typeof value === "boolean" && !value) return null;
    if (typeof value === "string") {
      const args = argsOf(value);
      if (args.length === 1 && /^off$/i.test(args[0]!)) return null;
      if (args.length !== 1) {
        throw new DirectiveValueError(`${JSON.stringify(value)} is not one Location (or Off)`);
      }
      return status({ Location: args[0] });
    }
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
      throw new DirectiveValueError(
        `${
          describeValue(value)
        } is not a status map ({Location, Metrics, Allow}), a Location or Off`,
      );
    }
    return status(value as Record<string, unknown>);
  },
};

function status(map: Record<string, unknown>): StatusConfig {
  const { Location, Metrics, Allow, ...rest } = map;
  const extra = Object.keys(rest);
  if (extra.length > 0) {
    throw new DirectiveValueError(
      `${JSON.stringify(extra[0])} is not a Status key (Location, Metrics, Allow)`,
    );
  }
  if (typeof Location !== "string") {
    throw new DirectiveValueError("Status needs a Location, a string such as /server-status");
  }
  const location = checkedLocation("Location", Location);
  const metricsLocation = metricsLocationOf(Metrics);
  if (metricsLocation === location) {
    throw new DirectiveValueError(`Metrics ${location} is the status page's Location too`);
  }
  const words = Allow === undefined ? ["local"] : wordsOf(Allow, "address");
  if (words.length === 0) throw new DirectiveValueError("Allow is empty (write local or all)");
  const allow = words.flatMap((word) => {
    const ranges = parseAllowWord(word);
    if (typeof ranges === "string") throw new DirectiveValueError(`Allow ${ranges}`);
    return ranges;
  });
  return { location, metricsLocation, allow: [...new Set(allow)] };
}

function metricsLocationOf(value: unknown): string | null {
  if (value === undefined) return DEFAULT_METRICS_LOCATION;
  if (value === false || (typeof value === "string" && /^off$/i.test(value))) return null;
  if (typeof value !== "string") {
    throw new DirectiveValueError(`Metrics ${describeValue(value)} is not a Location or Off`);
  }
  return checkedLocation("Metrics", value);
}

function checkedLocation(key: string, location: string): string {
  const problem = locationProblem(location);
  if (problem !== null) throw new DirectiveValueError(`${key} ${problem}`);
  return location;
}
