/**
 * One balancer as a slot runs it: the proxy's {@link BackendPicker} for `balancer://name`
 * targets. It holds each member's state in this slot (httpd keeps it in shared memory; mpmd's
 * slots each keep their own), applies {@link chooseMember}'s decision, takes a member out when
 * a request to it fails, and takes health check results from the checker.
 *
 * @module
 */

import type { BalancerConfig, BalancerMemberConfig } from "../../server/config/mod.ts";
import type { ServerRequest } from "../../server/http/mod.ts";
import type { Logger } from "../../server/log/mod.ts";
import type { BackendChoice, BackendPicker } from "../proxy/mod.ts";
import { chooseMember, initialMemberState, isUsable, type MemberState } from "./choose_member.ts";
import { countCheck } from "./count_check.ts";
import { sessionRoute } from "./session_route.ts";

/** A member's state in one word, as the status page and metrics show it. */
export const MEMBER_CONDITIONS = [
  "ok",
  "standby",
  "drain",
  "error",
  "hcfail",
  "disabled",
  "stopped",
] as const;
/** One of {@link MEMBER_CONDITIONS}. */
export type MemberCondition = typeof MEMBER_CONDITIONS[number];

/** One member as the status page shows it. */
export interface MemberSnapshot {
  /** The member's URL. */
  readonly url: string;
  /** Its route, or `""`. */
  readonly route: string;
  /** Its loadfactor. */
  readonly loadFactor: number;
  /** What it is now. */
  readonly condition: MemberCondition;
  /** Requests sent to it. */
  readonly requests: number;
  /** Requests to it that failed. */
  readonly errors: number;
  /** Requests to it in progress. */
  readonly busy: number;
  /** Bytes moved both ways. */
  readonly bytes: number;
  /** The health check method (`NONE`: not checked). */
  readonly checkMethod: string;
  /** The last check: when it ended (ms since the epoch) and whether it passed; `null`: none yet. */
  readonly lastCheck: { readonly at: number; readonly passed: boolean } | null;
}

/** One balancer as the status page shows it (as one slot sees it). */
export interface BalancerSnapshot {
  /** The name after `balancer://`. */
  readonly name: string;
  /** Its lbmethod. */
  readonly lbMethod: string;
  /** The stickysession cookie, or `null`. */
  readonly stickySession: string | null;
  /** Its members, in the order written. */
  readonly members: readonly MemberSnapshot[];
}

/** What a {@link Balancer} needs besides its configuration. */
export interface BalancerOptions {
  /** Where member state changes are logged (module `proxy_balancer`). */
  readonly logger: Logger;
  /**
   * The clock, ms since the epoch.
   * @default {Date.now}
   */
  readonly now?: () => number;
}

const NO_HEADERS: ReadonlyArray<readonly [string, string]> = Object.freeze([]);

/** A balancer's members and their state in this slot; picks the member of each request. */
export class Balancer implements BackendPicker {
  /** The balancer's configuration. */
  readonly config: BalancerConfig;
  readonly #states: MemberState[];
  readonly #urls: readonly URL[];
  readonly #logger: Logger;
  readonly #now: () => number;

  /** Starts every member from its configured flags. */
  constructor(config: BalancerConfig, options: BalancerOptions) {
    this.config = config;
    this.#logger = options.logger;
    this.#now = options.now ?? Date.now;
    const now = this.#now();
    this.#states = config.members.map((m) => initialMemberState(m, now));
    this.#urls = config.members.map((m) => new URL(m.url));
  }

  /** The member for `request`, or `null` when no member may serve it. */
  readonly pick = (request: ServerRequest): BackendChoice | null => {
    const sticky = this.config.stickySession;
    const route = sticky === null ? null : sessionRoute(
      { path: request.path, query: request.query, cookie: request.headers.get("cookie") },
      sticky,
      this.config.stickySessionSeparator,
    );
    // httpd's default maxattempts: every other member once.
    const attempts = this.config.maxAttempts ?? this.config.members.length - 1;
    return this.#choose(route, attempts);
  };

  /** Chooses a member; its choice may hand the request on `attemptsLeft` more times. */
  #choose(route: string | null, attemptsLeft: number): BackendChoice | null {
    const choice = chooseMember({
      balancer: this.config,
      states: this.#states,
      route,
      now: this.#now(),
    });
    if (choice.recovered) {
      this.#logger.warn(
        `balancer://${this.config.name}: every member is in error; trying them all again (forcerecovery)`,
      );
    }
    this.#states.forEach((s, i) => {
      this.#states[i] = {
        ...s,
        lbStatus: choice.lbStatus[i]!,
        ...(choice.recovered && { errorSince: null }),
      };
    });
    const index = choice.member;
    if (index === null) return null;
    const s = this.#states[index]!;
    this.#states[index] = { ...s, busy: s.busy + 1, requests: s.requests + 1 };
    let done = false;
    return {
      url: this.#urls[index]!,
      responseHeaders: NO_HEADERS,
      finished: (outcome) => {
        if (done) return;
        done = true;
        this.#finished(index, outcome);
      },
      retry: () => {
        if (attemptsLeft === 0) return null;
        // Counted as failed first, so that the next choice sees it in error.
        done = true;
        this.#finished(index, { failed: true, bytes: 0 });
        return this.#choose(route, attemptsLeft - 1);
      },
    };
  }

  #finished(index: number, outcome: { readonly failed: boolean; readonly bytes: number }): void {
    const member = this.config.members[index]!;
    const s = this.#states[index]!;
    const counted = { ...s, busy: s.busy - 1, bytes: s.bytes + outcome.bytes };
    if (!outcome.failed) {
      if (s.errorSince !== null) this.#logger.info(`${this.#name(member)} answers again`);
      this.#states[index] = { ...counted, errorSince: null };
      return;
    }
    const ignored = member.status.includes("I");
    const entering = !ignored && !this.#inError(index);
    if (entering) {
      this.#logger.warn(
        `${this.#name(member)} failed a request: out for ${
          member.retryMs / 1000
        }s (retry), then tried again`,
      );
    }
    this.#states[index] = {
      ...counted,
      errors: s.errors + 1,
      errorSince: ignored ? s.errorSince : this.#now(),
    };
  }

  /** Applies one health check result of member `index`, logging when the member leaves or returns. */
  recordCheck(index: number, passed: boolean, detail: string): void {
    const member = this.config.members[index]!;
    const before = this.#states[index]!;
    const after = countCheck(before, member.healthCheck, { passed, at: this.#now() });
    this.#states[index] = after;
    if (!before.healthFailed && after.healthFailed) {
      this.#logger.warn(`${this.#name(member)} failed its health check (${detail}): taken out`);
    } else if (before.healthFailed && !after.healthFailed) {
      this.#logger.notice(`${this.#name(member)} passed its health check: back in`);
    }
  }

  /** The members and their state in this slot now. */
  snapshot(): BalancerSnapshot {
    const now = this.#now();
    return {
      name: this.config.name,
      lbMethod: this.config.lbMethod,
      stickySession: this.config.stickySession?.cookie ?? null,
      members: this.config.members.map((m, i) => {
        const s = this.#states[i]!;
        return {
          url: m.url,
          route: m.route,
          loadFactor: m.loadFactor,
          condition: conditionOf(m, s, now),
          requests: s.requests,
          errors: s.errors,
          busy: s.busy,
          bytes: s.bytes,
          checkMethod: m.healthCheck.method,
          lastCheck: s.lastCheck,
        };
      }),
    };
  }

  #inError(index: number): boolean {
    const s = this.#states[index]!;
    return s.errorSince !== null &&
      this.#now() < s.errorSince + this.config.members[index]!.retryMs;
  }

  #name(member: BalancerMemberConfig): string {
    return `balancer://${this.config.name} member ${member.url}`;
  }
}

/** The one word for a member's state, the most serious first. */
function conditionOf(
  member: BalancerMemberConfig,
  state: MemberState,
  now: number,
): MemberCondition {
  if (member.status.includes("S")) return "stopped";
  if (member.status.includes("D")) return "disabled";
  if (state.healthFailed) return "hcfail";
  if (!isUsable(member, state, now)) return "error";
  if (member.status.includes("N")) return "drain";
  return member.status.includes("H") ? "standby" : "ok";
}
