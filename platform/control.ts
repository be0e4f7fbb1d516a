/**
 * httpd's `-k` control: find the running server through its PidFile and signal it. The decision ({@link planControl}) is a pure table
 * over the verb and what the PidFile says; {@link signalServer} applies it.
 *
 * Starting the server detached from the terminal is `startDetached` (start_detached.ts).
 *
 * Behaviour and wording follow httpd 2.4's `ap_signal_server` (server/mpm_unix.c) and its
 * caller in main.c, with "httpd" replaced by "mpmd" — see {@link planControl} for the exit
 * status of each case.
 *
 * @module
 */

import { isProcessAlive, readPidFile } from "./pid_file.ts";
import { describeError } from "../base/mod.ts";

/** httpd's `-k` verbs. */
export const CONTROL_VERBS = ["start", "stop", "restart", "graceful", "graceful-stop"] as const;

/** One of {@link CONTROL_VERBS}. */
export type ControlVerb = typeof CONTROL_VERBS[number];

/** The verbs that signal a running server. */
export type SignalVerb = Exclude<ControlVerb, "start">;

/**
 * The signal each verb sends to the server's parent process. Graceful restart is SIGUSR2,
 * not httpd's SIGUSR1: in Deno >= 2.9.2 SIGUSR1 also opens the V8 inspector, listener or not.
 */
export const CONTROL_SIGNALS: Readonly<Record<SignalVerb, Deno.Signal>> = {
  stop: "SIGTERM",
  restart: "SIGHUP",
  graceful: "SIGUSR2",
  "graceful-stop": "SIGWINCH",
};

/**
 * Whether a string is one of {@link CONTROL_VERBS}.
 *
 * @param value e.g. the argument of `-k`.
 * @returns `true` for a known verb.
 */
export function isControlVerb(value: string): value is ControlVerb {
  return (CONTROL_VERBS as readonly string[]).includes(value);
}

/** What the PidFile says about the server. */
export interface ServerStatus {
  /** The process id in the PidFile, or `null` when there is no PidFile. */
  readonly pid: number | null;
  /** Whether that process is running. */
  readonly alive: boolean;
}

/** What a `-k` verb comes to, given the server's status. */
export type ControlPlan =
  | {
    /** Send `signal` to `pid`. */
    readonly kind: "signal";
    readonly pid: number;
    readonly signal: Deno.Signal;
    /** httpd's exit status when the signal cannot be sent. */
    readonly failureExitCode: 0 | 1;
  }
  | {
    /** Start the server here: `-k start`, or restart/graceful when none is running. */
    readonly kind: "start";
    /** A line to print first, or `""`. */
    readonly message: string;
  }
  | {
    /** Nothing to do but print `message` and exit with `exitCode`. */
    readonly kind: "report";
    readonly message: string;
    readonly exitCode: 0 | 1;
  };

/** What each verb does when no server is running: start one, or say so. */
const WHEN_NOT_RUNNING: Readonly<Record<ControlVerb, "start" | "report">> = {
  start: "start",
  stop: "report",
  restart: "start",
  graceful: "start",
  "graceful-stop": "report",
};

/**
 * Decides what a `-k` verb does, as httpd's `ap_signal_server` does:
 *
 * | verb | server running | not running (no PidFile, or a dead pid) |
 * |---|---|---|
 * | start | print "mpmd (pid N) already running", exit 0 | start, silently |
 * | stop | SIGTERM, exit 0 even if it cannot be sent | print the status, exit 0 |
 * | restart | SIGHUP, exit 1 if it cannot be sent | print "mpmd not running, trying to start", start |
 * | graceful | SIGUSR2, exit 1 if it cannot be sent | same as restart |
 * | graceful-stop | SIGWINCH, exit 1 if it cannot be sent | print the status, exit 0 |
 *
 * The status is "mpmd (no pid file) not running" or "mpmd (pid N?) not running". A PidFile
 * that cannot be read or holds garbage is not decided here: httpd refuses every verb with
 * exit 1 ("Remove it before continuing if it is corrupted"), see {@link signalServer}.
 *
 * @param verb the `-k` verb.
 * @param status what the PidFile says.
 * @returns the plan.
 */
export function planControl(verb: ControlVerb, status: ServerStatus): ControlPlan {
  const { pid, alive } = status;
  if (pid !== null && alive) {
    if (verb === "start") {
      return { kind: "report", message: `mpmd (pid ${pid}) already running`, exitCode: 0 };
    }
    return {
      kind: "signal",
      pid,
      signal: CONTROL_SIGNALS[verb],
      // httpd ignores send_signal()'s result for stop only.
      failureExitCode: verb === "stop" ? 0 : 1,
    };
  }
  return planNotRunning(verb, pid);
}

/** A plan that sends nothing. */
type QuietPlan = Exclude<ControlPlan, { kind: "signal" }>;

/** {@link planControl} for a server that is not running; `pid` is the stale one, if any. */
function planNotRunning(verb: ControlVerb, pid: number | null): QuietPlan {
  if (WHEN_NOT_RUNNING[verb] === "start") {
    return { kind: "start", message: verb === "start" ? "" : "mpmd not running, trying to start" };
  }
  const message = pid === null
    ? "mpmd (no pid file) not running"
    : `mpmd (pid ${pid}?) not running`;
  return { kind: "report", message, exitCode: 0 };
}

/** The outcome of {@link signalServer}. */
export interface ControlResult {
  /** Whether the server was signalled, or is to be started (`startInstead`). */
  readonly ok: boolean;
  /** No server runs and the verb starts one: the caller starts the server now. */
  readonly startInstead: boolean;
  /** The line to print, or `""` (httpd prints nothing after signalling). */
  readonly message: string;
  /** httpd's exit status for this outcome (0 also when the caller is to start the server). */
  readonly exitCode: 0 | 1;
  /** The process signalled, or `null` when none was. */
  readonly signalled: number | null;
}

/**
 * Carries out a `-k` verb against the server named in the PidFile: reads it, checks the
 * process, and sends the verb's signal ({@link planControl} decides).
 *
 * A server that exits between the check and the signal counts as not running. A signal
 * that cannot be sent (e.g. the server belongs to another user) gives `ok: false` and the
 * message "Cannot send <signal> to mpmd (pid N): <reason>".
 *
 * @param verb the `-k` verb.
 * @param pidFile the server's PidFile.
 * @returns what happened and httpd's exit status for it.
 * @throws {PidFileError} if the PidFile cannot be read or holds no process id (httpd exits
 * 1 for every verb then).
 */
export function signalServer(verb: ControlVerb, pidFile: string): ControlResult {
  const pid = readPidFile(pidFile);
  const plan = planControl(verb, { pid, alive: pid !== null && isProcessAlive(pid) });
  if (plan.kind !== "signal") return resultOf(plan);
  try {
    Deno.kill(plan.pid, plan.signal);
    return { ok: true, startInstead: false, message: "", exitCode: 0, signalled: plan.pid };
  } catch (error: unknown) {
    if (error instanceof Deno.errors.NotFound) {
      return resultOf(planNotRunning(verb, plan.pid));
    }
    const reason = describeError(error);
    return {
      ok: false,
      startInstead: false,
      message: `Cannot send ${plan.signal} to mpmd (pid ${plan.pid}): ${reason}`,
      exitCode: plan.failureExitCode,
      signalled: null,
    };
  }
}

/** The result of a plan that sends nothing. */
function resultOf(plan: QuietPlan): ControlResult {
  return plan.kind === "start"
    ? { ok: true, startInstead: true, message: plan.message, exitCode: 0, signalled: null }
    : {
      ok: false,
      startInstead: false,
      message: plan.message,
      exitCode: plan.exitCode,
      signalled: null,
    };
}

/**
 * The process id of a live server holding the PidFile, for `-k start` to refuse with
 * "mpmd (pid N) already running".
 *
 * @param pidFile the PidFile.
 * @returns the live server's pid, or `null` if there is no PidFile or its process is gone.
 * @throws {PidFileError} if the PidFile cannot be read or holds no process id.
 */
export function alreadyRunning(pidFile: string): number | null {
  const pid = readPidFile(pidFile);
  return pid !== null && isProcessAlive(pid) ? pid : null;
}
