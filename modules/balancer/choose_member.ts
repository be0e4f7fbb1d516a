/**
 * Which member of a balancer serves a request: httpd's mod_proxy_balancer decision, pure.
 * A sticky request goes to the member its route names while that member is usable; any other
 * request goes to the best usable member by the balancer's lbmethod, hot standbys only when no
 * other member is usable, and every member in error is tried again at once when all are
 * (forcerecovery).
 *
 * @module
 */

import type { BalancerConfig, BalancerMemberConfig } from "../../server/config/mod.ts";

/** What one slot knows of a member at one moment. */
export interface MemberState {
  /** byrequests' and bybusyness' running score (httpd's `lbstatus`). */
  readonly lbStatus: number;
  /** Requests in progress. */
  readonly busy: number;
  /** Requests sent to it (httpd's `elected`). */
  readonly requests: number;
  /** Requests that failed (no connection, a reset, a 502 or 504). */
  readonly errors: number;
  /** Bytes moved both ways (httpd's `transferred` + `read`). */
  readonly bytes: number;
  /** When it entered the error state (ms since the epoch), or `null` when not in error. */
  readonly errorSince: number | null;
  /** Whether its health check failed (httpd's `C` flag): out until it passes again. */
  readonly healthFailed: boolean;
  /** Consecutive passed health checks (counted while failed). */
  readonly passes: number;
  /** Consecutive failed health checks (counted while not failed). */
  readonly fails: number;
  /** The last health check: when it ended and whether it passed; `null` before the first. */
  readonly lastCheck: { readonly at: number; readonly passed: boolean } | null;
}

/** A member's state before any request: its configured E and C flags set at `now`. */
export function initialMemberState(member: BalancerMemberConfig, now: number): MemberState {
  return {
    lbStatus: 0,
    busy: 0,
    requests: 0,
    errors: 0,
    bytes: 0,
    errorSince: member.status.includes("E") ? now : null,
    healthFailed: member.status.includes("C"),
    passes: 0,
    fails: 0,
    lastCheck: null,
  };
}

/** What {@link chooseMember} decides from. */
export interface ChooseInput {
  /** The balancer: its method, stickiness and members. */
  readonly balancer: BalancerConfig;
  /** Each member's state, in the order of `balancer.members`. */
  readonly states: readonly MemberState[];
  /** The route the request names (see `sessionRoute()`), or `null`. */
  readonly route: string | null;
  /** Now, ms since the epoch: whether a member's retry time has passed. */
  readonly now: number;
}

/** What {@link chooseMember} decided. */
export interface Choice {
  /** The member's index, or `null` when none may serve (the proxy answers 503). */
  readonly member: number | null;
  /** Whether the member was chosen by the request's route. */
  readonly routed: boolean;
  /** Every member's lbStatus after the choice. */
  readonly lbStatus: readonly number[];
  /** Whether every member's error state was cleared first (forcerecovery). */
  readonly recovered: boolean;
}

/** Whether a member may take requests at `now`: enabled, its check passing, out of error. */
export function isUsable(member: BalancerMemberConfig, state: MemberState, now: number): boolean {
  return !member.status.includes("D") && !member.status.includes("S") && !state.healthFailed &&
    (state.errorSince === null || now >= state.errorSince + member.retryMs);
}

/** Chooses the member for one request (httpd's find_session_route, then find_best_worker). */
export function chooseMember(input: ChooseInput): Choice {
  const { balancer, route, now } = input;
  const members = balancer.members;
  // httpd's force_recovery(): when every member is in error, clear them all (not a failed check).
  const recovered = balancer.forceRecovery && input.states.every((s) => s.errorSince !== null);
  const states = recovered ? input.states.map((s) => ({ ...s, errorSince: null })) : input.states;
  const usable = members.map((m, i) => isUsable(m, states[i]!, now));
  const lbStatus = states.map((s) => s.lbStatus);
  if (route !== null) {
    // A draining (N) or standby (H) member still serves the sessions that name it.
    const routed = members.findIndex((m) => m.route !== "" && m.route === route);
    if (routed !== -1 && usable[routed]) {
      return { member: routed, routed: true, lbStatus, recovered };
    }
    if (balancer.noFailover) return { member: null, routed: false, lbStatus, recovered };
  }
  const eligible = (standby: boolean) =>
    members.flatMap((m, i) =>
      usable[i] && !m.status.includes("N") && m.status.includes("H") === standby ? [i] : []
    );
  const regular = eligible(false);
  const candidates = regular.length > 0 ? regular : eligible(true);
  const member = candidates.length === 0
    ? null
    : LB_METHODS[balancer.lbMethod](candidates, members, states, lbStatus);
  return { member, routed: false, lbStatus, recovered };
}

/** A method picks among `candidates` (never empty), updating `lbStatus` in place. */
type LbMethodFn = (
  candidates: readonly number[],
  members: readonly BalancerMemberConfig[],
  states: readonly MemberState[],
  lbStatus: number[],
) => number;

/**
 * Every candidate's score grows by its loadfactor; the best by `better` is chosen and loses
 * the sum of the factors, so that over a round each member is chosen in proportion to its
 * loadfactor (httpd's byrequests, and bybusyness' tie-break).
 */
function weightedRound(
  candidates: readonly number[],
  members: readonly BalancerMemberConfig[],
  lbStatus: number[],
  better: (current: number, best: number) => boolean,
): number {
  let total = 0;
  let best = -1;
  for (const i of candidates) {
    lbStatus[i]! += members[i]!.loadFactor;
    total += members[i]!.loadFactor;
    if (best === -1 || better(i, best)) best = i;
  }
  lbStatus[best]! -= total;
  return best;
}

const LB_METHODS: Readonly<Record<BalancerConfig["lbMethod"], LbMethodFn>> = {
  byrequests: (candidates, members, _states, lbStatus) =>
    weightedRound(candidates, members, lbStatus, (i, best) => lbStatus[i]! > lbStatus[best]!),
  bybusyness: (candidates, members, states, lbStatus) =>
    weightedRound(
      candidates,
      members,
      lbStatus,
      (i, best) =>
        states[i]!.busy < states[best]!.busy ||
        (states[i]!.busy === states[best]!.busy && lbStatus[i]! > lbStatus[best]!),
    ),
  bytraffic: (candidates, members, states) => {
    // The least traffic for its weight; the first written wins a tie.
    let best = candidates[0]!;
    const traffic = (i: number) => states[i]!.bytes / members[i]!.loadFactor;
    for (const i of candidates) if (traffic(i) < traffic(best)) best = i;
    return best;
  },
};
