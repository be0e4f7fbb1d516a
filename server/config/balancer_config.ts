/**
 * The configuration of mod_proxy_balancer's balancers and mod_proxy_hcheck's health checks:
 * what `BalancerMember` and `ProxySet` lines (or a `<Proxy "balancer://name">` section) say,
 * assembled per balancer, with httpd 2.4's defaults.
 *
 * @module
 */

/** The load-balancing methods mpmd implements (httpd's `lbmethod_*_module`s, heartbeat aside). */
export const LB_METHODS = ["byrequests", "bybusyness", "bytraffic"] as const;
/** One of {@link LB_METHODS}. */
export type LbMethod = typeof LB_METHODS[number];

/** mod_proxy_hcheck's check methods; `NONE` (the default) runs no active check. */
export const HC_METHODS = ["NONE", "TCP", "OPTIONS", "HEAD", "GET"] as const;
/** One of {@link HC_METHODS}. */
export type HcMethod = typeof HC_METHODS[number];

/**
 * The status flags a member may start with, by httpd's letter: D disabled, S stopped, I ignore
 * errors, H hot standby, E in error, N drain, C health check failed.
 */
export const MEMBER_STATUS_FLAGS = ["D", "S", "I", "H", "E", "N", "C"] as const;
/** One of {@link MEMBER_STATUS_FLAGS}. */
export type MemberStatusFlag = typeof MEMBER_STATUS_FLAGS[number];

/** A member's active health check (mod_proxy_hcheck's `hc*` keys). */
export interface HealthCheckConfig {
  /** hcmethod: how the member is checked; `NONE` for no active check. */
  readonly method: HcMethod;
  /** hcuri: the path requested (absolute), the member URL's own path unless set. */
  readonly path: string;
  /** hcinterval: time between two checks. */
  readonly intervalMs: number;
  /** hcpasses: consecutive passed checks that bring a failed member back. */
  readonly passes: number;
  /** hcfails: consecutive failed checks that take a member out. */
  readonly fails: number;
}

/** One `BalancerMember`. */
export interface BalancerMemberConfig {
  /** The backend's base URL, `http://host:port/path`, as written (normalised by `URL`). */
  readonly url: string;
  /** route: the session route that sticky requests name (`value.route`), or `""` for none. */
  readonly route: string;
  /** loadfactor: the member's weight, 1 to 100. */
  readonly loadFactor: number;
  /** retry: how long a member in error stays out before it is tried again. */
  readonly retryMs: number;
  /** status: the flags it starts with. */
  readonly status: readonly MemberStatusFlag[];
  /** Its active health check. */
  readonly healthCheck: HealthCheckConfig;
  /** Where it was written (`httpd.conf:12`). */
  readonly origin: string;
}

/** How requests name their session's member: `stickysession=COOKIE|urlparam`. */
export interface StickySession {
  /** The cookie whose value ends in `.route`. */
  readonly cookie: string;
  /** The path (`;name=`) or query (`name=`) parameter holding `value.route`. */
  readonly urlParameter: string;
}

/** One balancer: its members and the keys ProxySet gave it. */
export interface BalancerConfig {
  /** The name after `balancer://`, lower-case as httpd compares it. */
  readonly name: string;
  /** Members, in the order written. */
  readonly members: readonly BalancerMemberConfig[];
  /** lbmethod: how a member is chosen. */
  readonly lbMethod: LbMethod;
  /** stickysession, or `null` for none. */
  readonly stickySession: StickySession | null;
  /** stickysessionsep: what separates the session value from its route. */
  readonly stickySessionSeparator: string;
  /** nofailover: a sticky request whose member is unusable gets a 503 instead of another member. */
  readonly noFailover: boolean;
  /**
   * maxattempts: how many other members a request that failed to reach its member may try;
   * `null` for httpd's default, one fewer than the members.
   */
  readonly maxAttempts: number | null;
  /** forcerecovery: when every member is in error, all are tried again at once. */
  readonly forceRecovery: boolean;
  /** Where the balancer was first named. */
  readonly origin: string;
}
