/**
 * mod_proxy_balancer and mod_proxy_hcheck: `balancer://name` targets of the proxy, each a
 * {@link BackendPicker} over its members — httpd's byrequests, bybusyness and bytraffic
 * methods, hot standbys, sticky sessions by route, error states with retry, and active health
 * checks — with the state of each slot's members for the status page.
 *
 * @example
 * ```ts
 * import { startBalancers } from "./mod.ts";
 * // const balancers = startBalancers(config.balancers, { logger });
 * // const picker = balancers.get("app"); // picker.pick(request) → a member, or null (503)
 * // balancers.stop();
 * ```
 *
 * @module
 */

export {
  Balancer,
  type BalancerOptions,
  type BalancerSnapshot,
  MEMBER_CONDITIONS,
  type MemberCondition,
  type MemberSnapshot,
} from "./balancer.ts";
export { type BalancerSet, type BalancerSetOptions, startBalancers } from "./balancer_set.ts";
export {
  type Choice,
  type ChooseInput,
  chooseMember,
  initialMemberState,
  isUsable,
  type MemberState,
} from "./choose_member.ts";
export { countCheck } from "./count_check.ts";
export { type HealthChecks, type Probe, probeMember, startHealthChecks } from "./health_checks.ts";
export { type SessionCarrier, sessionRoute } from "./session_route.ts";
