/**
 * Directives that several MPMs share (httpd documents them once, in `mpm_common`), as
 * builders taking each MPM's own default. Private to `mpm/`: each policy file lists the ones
 * it accepts.
 *
 * @module
 */

import { type Directive, integer } from "../server/config/mod.ts";

/**
 * Largest value any count takes before an MPM's own clamping: a C int in httpd. httpd's
 * smaller compiled limits (ServerLimit 20000, ThreadLimit 20000, …) are clamping rules with a
 * warning, not parse errors, and belong to each policy's check.
 */
export const MAX_COUNT = 2_147_483_647;

/** A count directive (`MinSpareServers`, `StartThreads`, …): an integer from 0 to {@link MAX_COUNT}. */
export function mpmCount(name: string, help: string, defaultValue: number): Directive<number> {
  return integer({ name, help, default: defaultValue, min: 0, max: MAX_COUNT });
}

/** StartServers: child processes created at startup. */
export function startServers(defaultValue: number): Directive<number> {
  return mpmCount("StartServers", "Child processes created at startup", defaultValue);
}

/** ServerLimit: upper bound on child processes for the life of the parent. */
export function serverLimit(defaultValue: number): Directive<number> {
  return mpmCount(
    "ServerLimit",
    "Upper bound on child processes (fixed until a full restart)",
    defaultValue,
  );
}

/** MaxRequestWorkers: connections served at once, server-wide. */
export function maxRequestWorkers(defaultValue: number): Directive<number> {
  return mpmCount("MaxRequestWorkers", "Most connections served at once", defaultValue);
}

/** MaxConnectionsPerChild: connections a child serves before it is replaced (0: never). */
export function maxConnectionsPerChild(): Directive<number> {
  return mpmCount(
    "MaxConnectionsPerChild",
    "Connections a child serves before it is replaced (0: never)",
    0,
  );
}

/** MinSpareThreads: fewest idle threads kept. */
export function minSpareThreads(defaultValue: number): Directive<number> {
  return mpmCount("MinSpareThreads", "Fewest idle threads kept ready", defaultValue);
}

/** MaxSpareThreads: most idle threads kept. */
export function maxSpareThreads(defaultValue: number): Directive<number> {
  return mpmCount(
    "MaxSpareThreads",
    "Most idle threads kept before some are retired",
    defaultValue,
  );
}

/** ThreadsPerChild: threads each child process runs. */
export function threadsPerChild(defaultValue: number): Directive<number> {
  return mpmCount("ThreadsPerChild", "Threads each child process runs", defaultValue);
}

/** ThreadLimit: upper bound on ThreadsPerChild for the life of the parent. */
export function threadLimit(defaultValue: number): Directive<number> {
  return mpmCount(
    "ThreadLimit",
    "Upper bound on ThreadsPerChild (fixed until a full restart)",
    defaultValue,
  );
}
