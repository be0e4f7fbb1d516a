/**
 * The status context of a host without Status, and the balancers of a config without any, for
 * tests that build a host's chain.
 *
 * @module
 */

import type { BalancerSet, StatusContext } from "../../modules/mod.ts";

/** A status context for hosts without Status: never read. */
export const NO_STATUS: StatusContext = {
  server: {
    version: "",
    deno: "",
    v8: "",
    built: "",
    mpm: "event",
    mpmDirectives: {},
    extendedStatus: true,
  },
  readScoreboard: () => Promise.reject(new Error("no scoreboard in this test")),
  balancers: () => [],
};

/** The balancers of a config without any. */
export const NO_BALANCERS: BalancerSet = {
  get: () => undefined,
  snapshot: () => [],
  stop: () => {},
};
