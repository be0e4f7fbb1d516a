/**
 * A generation — what the parent's children are started with, swapped whole by a restart and
 * put back if the restart fails — and how a restart makes the next one: the configuration read
 * again, its MPM's settings checked (against the running ones when the MPM stays; afresh when
 * the restart switches to another), its `Listen` addresses bound on the running sockets.
 *
 * @module
 */

import { describeError } from "../../base/mod.ts";
import { ConfigErrors, type MpmName, type ServerConfig } from "../../server/config/mod.ts";
import type { Logger } from "../../server/log/mod.ts";
import type { ListenSource } from "../../slot/mod.ts";
import type { ClampWarning, Topology } from "../mpm_policy.ts";
import { MPMS } from "../registry.ts";
import type { ListenSockets } from "./_listen_sockets.ts";
import { childProcessConfig } from "./_child.ts";

/** What a restart reads: the configuration, and the warnings its readers gave. */
export interface ReloadedConfig {
  /** The validated configuration. */
  readonly config: ServerConfig;
  /** Its readers' warnings, each naming its file and line. */
  readonly warnings: readonly string[];
  /** A clamping warning of the MPM's check, located as {@link warnings} are. */
  locate(warning: ClampWarning): string;
}

/** One generation: what its children are started with. */
export interface Generation {
  readonly number: number;
  /** The configuration, every `Listen` port as bound. */
  readonly config: ServerConfig;
  /** The same, as its child processes get it (see {@link childProcessConfig}). */
  readonly childConfig: ServerConfig;
  /** Its MPM's checked settings (`config.mpm` names the MPM). */
  readonly settings: object;
  readonly topology: Topology;
  /** What its slots accept from. */
  readonly listen: ListenSource;
  /** When it started (the status page's restart time). */
  readonly startedMs: number;
}

/** What {@link nextGeneration} works with. */
export interface NextGenerationParts {
  /** Reads and validates the configuration again; throws ConfigErrors. */
  readonly reload: () => Promise<ReloadedConfig>;
  /** The parent's sockets: the new generation's addresses are bound there. */
  readonly sockets: ListenSockets;
  /** Where child processes open the parent's stdout (see {@link childProcessConfig}). */
  readonly stdoutPath: string | null;
  readonly logger: Logger;
}

/**
 * A generation from its checked configuration: its `Listen` addresses bound on the parent's
 * sockets, and the configuration its child processes get.
 *
 * @throws {ConfigErrors} when an address cannot be bound, or the children cannot log as asked.
 */
export function makeGeneration(
  number: number,
  config: ServerConfig,
  checked: { readonly settings: object; readonly topology: Topology },
  parts: Pick<NextGenerationParts, "sockets" | "stdoutPath">,
): Generation {
  const childConfig = checked.topology.threadsInParent
    ? config
    : childProcessConfig(config, parts.stdoutPath);
  const bound = parts.sockets.bind(config);
  return {
    number,
    ...bound,
    childConfig: { ...childConfig, listen: bound.config.listen },
    ...checked,
    startedMs: Date.now(),
  };
}

/**
 * Why a restart cannot switch from the running generation's MPM to `to`'s, or `null` when it
 * can (or stays). Every MPM whose slots live in child processes can follow any other on the
 * same sockets; netware's threads live in the parent itself, which cannot run one generation
 * in its own process and another in children (nor give its own threads back to them).
 */
export function switchRefusal(
  from: { readonly mpm: string; readonly topology: Topology },
  to: { readonly mpm: string; readonly topology: Topology },
): string | null {
  if (from.mpm === to.mpm) return null;
  const inParent = [from, to].find((generation) => generation.topology.threadsInParent);
  if (inParent === undefined) return null;
  return `Cannot restart into the ${to.mpm} MPM: ${inParent.mpm} serves from threads of the ` +
    `parent process, which cannot hand its sockets over to another MPM while it drains; stop ` +
    `the server and start it again`;
}

/**
 * What a restart of a server running `from` into a configuration of `to` will do, in words
 * for `-t`: `null` when the MPM stays, else the switch or why it is refused.
 */
export function switchPreview(from: MpmName, to: MpmName, pid: number): string | null {
  if (from === to) return null;
  const shape = (mpm: MpmName) => ({
    mpm,
    topology: MPMS[mpm].topology(MPMS[mpm].check({}).settings),
  });
  const running = `the server running as pid ${pid} serves with ${from}`;
  const refusal = switchRefusal(shape(from), shape(to));
  if (refusal !== null) return `mpmd: ${running}. ${refusal}`;
  return `mpmd: ${running}: a restart into this configuration switches it to ${to}. New ${to} ` +
    `children start on the same sockets and serve at once; the ${from} children finish their ` +
    `requests and exit (-k graceful), or end at once (-k restart)`;
}

/** The generation a restart would start, bound and checked; `null` (logged) if refused. */
export async function nextGeneration(
  running: Generation,
  parts: NextGenerationParts,
): Promise<Generation | null> {
  const { logger } = parts;
  const keeps = `generation ${running.number} keeps serving`;
  let loaded: ReloadedConfig;
  try {
    loaded = await parts.reload();
  } catch (error) {
    logger.error(
      `Cannot restart: the configuration is not valid; ${keeps}\n${describeFailure(error)}`,
    );
    return null;
  }
  const { config } = loaded;
  const policy = MPMS[config.mpm];
  const switching = config.mpm !== running.config.mpm;
  // Another MPM's settings start afresh: its limits are its own, the scoreboard takes their
  // shape (the parent reshapes it).
  const checked = policy.check(
    config.mpmDirectives,
    switching ? {} : { running: running.settings },
  );
  const topology = policy.topology(checked.settings);
  const refusal = switchRefusal(
    { mpm: running.config.mpm, topology: running.topology },
    { mpm: config.mpm, topology },
  );
  if (refusal !== null) {
    logger.error(`${refusal}; ${keeps}`);
    return null;
  }
  // The config's warnings hold the MPM's clamping ones already; a restart may add its own.
  const fresh = checked.warnings.map(loaded.locate).filter((w) => !loaded.warnings.includes(w));
  for (const warning of [...loaded.warnings, ...fresh]) logger.warn(warning);
  try {
    const { settings } = checked;
    return makeGeneration(running.number + 1, config, { settings, topology }, parts);
  } catch (error) {
    logger.error(`Cannot restart: ${describeFailure(error)}; ${keeps}`);
    return null;
  }
}

/** What a refused restart says of its cause: each error, without a startup's "shutting down". */
function describeFailure(error: unknown): string {
  return error instanceof ConfigErrors
    ? error.errors.map((each) => each.message).join("\n")
    : describeError(error);
}
