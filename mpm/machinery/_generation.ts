/**
 * A generation — what the parent's children are started with, swapped whole by a restart and
 * put back if the restart fails — and how a restart makes the next one: the configuration read
 * again, the same MPM, its settings checked against the running ones, its `Listen` addresses
 * bound on the running sockets.
 *
 * @module
 */

import { describeError } from "../../base/mod.ts";
import { ConfigErrors, type ServerConfig } from "../../server/config/mod.ts";
import type { Logger } from "../../server/log/mod.ts";
import type { ListenSource } from "../../slot/mod.ts";
import type { ClampWarning, MpmPolicy, Topology } from "../mpm_policy.ts";
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
  /** Its MPM's checked settings. */
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
  /** The running MPM's policy. */
  readonly policy: MpmPolicy;
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

/** The generation a restart would start, bound and checked; `null` (logged) if refused. */
export async function nextGeneration(
  running: Generation,
  parts: NextGenerationParts,
): Promise<Generation | null> {
  const { logger, policy } = parts;
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
  if (config.mpm !== running.config.mpm) {
    logger.error(
      `Cannot restart into the ${config.mpm} MPM: a running server keeps its MPM (${running.config.mpm}); stop it and start it again`,
    );
    return null;
  }
  const checked = policy.check(config.mpmDirectives, { running: running.settings });
  // The config's warnings hold the MPM's clamping ones already; a restart may add its own.
  const fresh = checked.warnings.map(loaded.locate).filter((w) => !loaded.warnings.includes(w));
  for (const warning of [...loaded.warnings, ...fresh]) logger.warn(warning);
  try {
    const { settings } = checked;
    return makeGeneration(running.number + 1, config, {
      settings,
      topology: policy.topology(settings),
    }, parts);
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
