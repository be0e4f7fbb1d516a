/**
 * mod_proxy_hcheck's counting, pure: `hcfails` consecutive failed checks take a member out
 * (its `C` flag); `hcpasses` consecutive passed checks bring it back and clear an error state
 * too, as httpd's checks do. mpmd also ends the error state (the `retry` wait after a failed
 * request) of a member that was not out by its checks when a check passes.
 *
 * @module
 */

import type { HealthCheckConfig } from "../../server/config/mod.ts";
import type { MemberState } from "./choose_member.ts";

/** A member's state after one check that ended at `at` and `passed` or not. */
export function countCheck(
  state: MemberState,
  check: Pick<HealthCheckConfig, "passes" | "fails">,
  result: { readonly passed: boolean; readonly at: number },
): MemberState {
  const lastCheck = { at: result.at, passed: result.passed };
  if (result.passed) {
    // A member that answers its check is reachable: a failed request's retry wait ends too.
    if (!state.healthFailed) return { ...state, errorSince: null, fails: 0, passes: 0, lastCheck };
    const passes = state.passes + 1;
    return passes >= check.passes
      ? { ...state, healthFailed: false, errorSince: null, passes: 0, fails: 0, lastCheck }
      : { ...state, passes, fails: 0, lastCheck };
  }
  if (state.healthFailed) return { ...state, passes: 0, fails: 0, lastCheck };
  const fails = state.fails + 1;
  return fails >= check.fails
    ? { ...state, healthFailed: true, passes: 0, fails: 0, lastCheck }
    : { ...state, fails, passes: 0, lastCheck };
}
