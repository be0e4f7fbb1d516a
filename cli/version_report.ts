/**
 * What `mpmd -v`, `-V` and `-l` print, in httpd's wording where httpd has one. Pure: the
 * caller passes the capabilities and the chosen MPM.
 *
 * @module
 */

import type { PlatformCapabilities } from "../platform/mod.ts";
import {
  type DefaultMpmChoice,
  type Forking,
  type MpmPolicy,
  THIS_BUILD,
  type Threading,
} from "../mpm/mod.ts";
import type { MpmSource } from "../server/config/mod.ts";
import { serverBanner } from "../server/http/mod.ts";

/** The modules compiled into this executable besides the MPMs, as `-l` lists them. */
export const COMPILED_MODULES = ["core", "http_core", "mod_log_config", "mod_static"] as const;

/** What the `-V` report describes. */
export interface BuildReportInput {
  /** The active MPM. */
  readonly mpm: MpmPolicy;
  /** What chose it. */
  readonly mpmSource: MpmSource;
  /** What this platform offers. */
  readonly caps: PlatformCapabilities;
  /** The MPM this platform would pick, and why. */
  readonly defaultMpm: DefaultMpmChoice;
}

const THREADED_TEXT: Readonly<Record<Threading, string>> = {
  no: "no",
  fixed: "yes (fixed thread count)",
  variable: "yes (variable thread count)",
};

const FORKED_TEXT: Readonly<Record<Forking, string>> = {
  no: "no",
  static: "yes (fixed process count)",
  variable: "yes (variable process count)",
};

/** `mpmd -v`: the version, as httpd's `-v`. */
export function versionReport(): string {
  return [
    `Server version: ${serverBanner("Full")}`,
    `Server built:   Deno ${Deno.version.deno}, V8 ${Deno.version.v8}, TypeScript ${Deno.version.typescript}`,
  ].join("\n");
}

/** `mpmd -V`: version, the active MPM in httpd's words, and what the platform offers. */
export function buildReport(input: BuildReportInput): string {
  const { mpm, caps, defaultMpm } = input;
  const yesNo = (flag: boolean) => (flag ? "yes" : "no");
  const migrate = caps.tcpMigrateReq === null
    ? "not available"
    : caps.tcpMigrateReq
    ? "1 (a closed listener hands its queued connections to a sibling)"
    : "0 (a closed listener resets its queued connections)";
  return [
    versionReport(),
    `Architecture:   ${Deno.build.target}`,
    `Server MPM:     ${mpm.name}`,
    `  threaded:     ${THREADED_TEXT[mpm.caps.threaded]}`,
    `    forked:     ${FORKED_TEXT[mpm.caps.forked]}`,
    `  chosen by:    ${input.mpmSource}`,
    `Default MPM:    ${defaultMpm.mpm} (${defaultMpm.reason})`,
    `Built-in MPMs:  ${THIS_BUILD.mpms.join(" ")}`,
    `Platform:       ${caps.os}`,
    `  threads:              ${caps.threads ? "yes (Deno Workers)" : "no"}`,
    `  thread-safe polling:  ${caps.poller === null ? "no" : `yes (${caps.poller})`}`,
    `  reuseport balancing:  ${yesNo(caps.reusePortBalancing)}`,
    `  tcp_migrate_req:      ${migrate}`,
  ].join("\n");
}

/** `mpmd -l`: the compiled-in modules and the MPMs this build holds, as httpd's `-l`. */
export function moduleReport(): string {
  const lines = [...COMPILED_MODULES, ...THIS_BUILD.mpms.map((name) => `mpm_${name}`)];
  return ["Compiled in modules:", ...lines.map((name) => `  ${name}`)].join("\n");
}
