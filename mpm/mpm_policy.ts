/**
 * What every MPM policy declares: our equivalent of httpd's `ap_mpm_query()`, its directive
 * table, its clamping rules (`check`) and its maintenance decision (`plan`). Core code reads
 * these and calls `check` and `plan`; it never asks for an MPM by name.
 *
 * @module
 */

import { type Discipline, ONE_CONNECTION } from "./discipline.ts";
import type { Plan, PlanInput } from "./plan.ts";
import type { Directive, MpmName } from "../server/config/mod.ts";

/** httpd's `AP_MPMQ_IS_THREADED` answers: no threads, a fixed or a variable count per process. */
export const THREADING = ["no", "fixed", "variable"] as const;
/** One of {@link THREADING}. */
export type Threading = typeof THREADING[number];

/** httpd's `AP_MPMQ_IS_FORKED` answers: no children, a static or a variable count. */
export const FORKING = ["no", "static", "variable"] as const;
/** One of {@link FORKING}. */
export type Forking = typeof FORKING[number];

/** How an MPM uses processes and threads. */
export interface MpmCaps {
  /** Threads per process: none, a fixed or a variable count (`AP_MPMQ_IS_THREADED`). */
  readonly threaded: Threading;
  /** Child processes: none, a static or a variable count (`AP_MPMQ_IS_FORKED`). */
  readonly forked: Forking;
  /** Whether idle keep-alive connections are parked off the slots (`AP_MPMQ_IS_ASYNC`). */
  readonly async: boolean;
}

/**
 * How the shared machinery lays out an MPM's processes and threads, read from its checked
 * settings: the scoreboard's size, what starts at launch, and how a slot takes connections.
 */
export interface Topology {
  /** Process regions in the scoreboard: the most processes alive at once, old ones included. */
  readonly serverLimit: number;
  /** Slot records per process region: the most threads a process may run. */
  readonly threadLimit: number;
  /** Child processes started at launch. */
  readonly startProcesses: number;
  /**
   * Threads (Workers) each child runs; 0 means no Workers: the child's main thread is its one
   * slot (prefork).
   */
  readonly threadsPerProcess: number;
  /** Connections a child accepts before it is recycled; 0: never. */
  readonly maxConnectionsPerChild: number;
  /** How its slots take connections: one at a time, or event's requests. */
  readonly discipline: Discipline;
  /** The parent process hosts the threads itself, with no child process (netware). */
  readonly threadsInParent: boolean;
  /** A restart (SIGHUP) is always graceful, as httpd's winnt has no other kind. */
  readonly restartIsGraceful: boolean;
}

/** The layout an MPM states; {@link topologyOf} fills in the usual answers to the rest. */
export type TopologyLayout =
  & Pick<
    Topology,
    | "serverLimit"
    | "threadLimit"
    | "startProcesses"
    | "threadsPerProcess"
    | "maxConnectionsPerChild"
  >
  & Partial<Topology>;

/**
 * A topology with the usual answers where an MPM says nothing: one connection per slot,
 * threads in child processes, a SIGHUP that restarts at once.
 */
export function topologyOf(layout: TopologyLayout): Topology {
  return {
    discipline: ONE_CONNECTION,
    threadsInParent: false,
    restartIsGraceful: false,
    ...layout,
  };
}

/** A value `check()` changed: the directive, so that the config can say where it was set. */
export interface ClampWarning {
  /** The directive whose value was changed. */
  readonly directive: string;
  /** One line in httpd's words: the directive, the value given and the value used. */
  readonly text: string;
}

/** What a policy's `check()` returns: the settings to run with and why they differ. */
export interface CheckResult<S> {
  /** Every directive of the section, after httpd's clamping rules. */
  readonly settings: S;
  /** One per value changed. */
  readonly warnings: readonly ClampWarning[];
}

/** What a policy's `check()` may take besides the section's values. */
export interface CheckOptions<S> {
  /**
   * On a restart, the settings the server runs with now: ServerLimit and ThreadLimit keep
   * their values, because they size the scoreboard (httpd refuses to change them "during
   * restart", with a warning).
   */
  readonly running?: S;
}

/**
 * One MPM: its name, capabilities, directive table (httpd 2.4's defaults), clamping rules and
 * maintenance decision. `S` is its settings type; the registry holds every policy as
 * `MpmPolicy` (settings `object`), and a caller passes `plan()` the settings that the same
 * policy's `check()` returned.
 */
export interface MpmPolicy<S extends object = object> {
  /** Its name, also the key of its config section (`prefork`, `event`, …). */
  readonly name: MpmName;
  /** Its answers to httpd's `ap_mpm_query()` questions. */
  readonly caps: MpmCaps;
  /** The directives of its config section, with httpd 2.4's defaults. */
  readonly directives: readonly Directive<number>[];
  /**
   * Applies httpd's rules between the section's values (httpd's `*_check_config`). Pure; a
   * directive left out of `directives` takes its default.
   */
  check(directives: Readonly<Record<string, number>>, options?: CheckOptions<S>): CheckResult<S>;
  /** Decides one maintenance cycle (httpd's `perform_idle_server_maintenance`). Pure. */
  plan(input: PlanInput<S>): Plan;
  /** The process and thread layout its settings ask for. Pure. */
  topology(settings: S): Topology;
}
