/**
 * mod_proxy_hcheck's active checks as a slot runs them: each checked member on its own timer,
 * `hcinterval` apart, each check bounded by that interval (so checks of one member never
 * overlap). Every slot checks for itself, since every slot keeps its own member state; the
 * timers are unreferenced, so they never keep a retiring slot alive.
 *
 * @module
 */

import { describeError, TIMED_OUT, withDeadline } from "../../base/mod.ts";
import type { BalancerMemberConfig } from "../../server/config/mod.ts";
import type { Balancer } from "./balancer.ts";

/**
 * Checks one member once: `null` when it passed, else why it failed. It must settle by
 * `signal`'s abort.
 */
export type Probe = (member: BalancerMemberConfig, signal: AbortSignal) => Promise<string | null>;

/** The running checks of a slot. */
export interface HealthChecks {
  /** Stops every timer and aborts the checks in progress. */
  stop(): void;
}

/**
 * Checks a member as its hcmethod says: TCP connects; OPTIONS, HEAD and GET ask for its
 * hcuri and pass on a 2xx or 3xx answer (redirects are not followed).
 */
export async function probeMember(
  member: BalancerMemberConfig,
  signal: AbortSignal,
): Promise<string | null> {
  const url = new URL(member.healthCheck.path, member.url);
  const method = member.healthCheck.method;
  try {
    if (method === "TCP") {
      const connecting = Deno.connect({ hostname: url.hostname, port: Number(url.port) || 80 });
      const aborted = new Promise<typeof TIMED_OUT>((resolve) =>
        signal.addEventListener("abort", () => resolve(TIMED_OUT), { once: true })
      );
      const conn = await Promise.race([connecting, aborted]);
      if (conn === TIMED_OUT) {
        connecting.then((late) => late.close(), () => {});
        return "no connection within hcinterval";
      }
      conn.close();
      return null;
    }
    const response = await fetch(url, {
      method,
      signal,
      redirect: "manual",
      headers: { "user-agent": "mpmd-hcheck" },
    });
    await response.body?.cancel();
    return response.status >= 200 && response.status < 400
      ? null
      : `${method} ${url.pathname} answered ${response.status}`;
  } catch (error) {
    return signal.aborted ? "no answer within hcinterval" : describeError(error);
  }
}

/** Starts the checks of every member of `balancers` whose hcmethod is not NONE. */
export function startHealthChecks(
  balancers: readonly Balancer[],
  probe: Probe = probeMember,
): HealthChecks {
  const stopping = new AbortController();
  const timers: ReturnType<typeof setInterval>[] = [];
  for (const balancer of balancers) {
    balancer.config.members.forEach((member, index) => {
      const interval = member.healthCheck.intervalMs;
      if (member.healthCheck.method === "NONE") return;
      let checking = false;
      const check = async () => {
        // A check lasts at most one interval; a tick that finds one still running skips.
        if (checking) return;
        checking = true;
        const signal = AbortSignal.any([stopping.signal, AbortSignal.timeout(interval)]);
        const why = await withDeadline(probe(member, signal), interval + 1_000);
        checking = false;
        if (stopping.signal.aborted) return;
        const failure = why === TIMED_OUT ? "the check did not settle" : why;
        balancer.recordCheck(index, failure === null, failure ?? "passed");
      };
      const timer = setInterval(check, interval);
      Deno.unrefTimer(timer);
      timers.push(timer);
      // The first check at once: a slot knows its members' health from its start.
      void check();
    });
  }
  return {
    stop() {
      stopping.abort();
      for (const timer of timers) clearInterval(timer);
    },
  };
}
