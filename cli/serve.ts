/**
 * Serving from the command line: with the MPM's parent and children, or as `-X`'s single slot,
 * with the PidFile, the startup log lines, and `--watch`.
 *
 * @module
 */

import { dirname } from "node:path";
import { runParent } from "../mpm/machinery/mod.ts";
import { removePidFile, watchFiles, watchStopSignals, writePidFile } from "../platform/mod.ts";
import { ConfigErrors, type ListenProtocol, type ServerConfig } from "../server/config/mod.ts";
import type { LoadedConfig } from "../server/config/readers/mod.ts";
import { serverBanner } from "../server/http/mod.ts";
import { createErrorLog, type Logger } from "../server/log/mod.ts";
import { checkHostLogs, listenerUrl, openConfiguredLog, startSingleSlot } from "../slot/mod.ts";
import { type Args, EXIT, readConfig } from "./command_line.ts";
import { describeError } from "../base/mod.ts";

/** Writes the PidFile, if the configuration (or `-k start`) names one, and returns its remover. */
function recordPid(config: ServerConfig): () => void {
  const { pidFile } = config;
  if (pidFile === null) return () => {};
  writePidFile(pidFile, Deno.pid);
  return () => removePidFile(pidFile, Deno.pid);
}

function announce(
  logger: Logger,
  addresses: readonly { hostname: string; port: number; protocol?: ListenProtocol }[],
) {
  logger.notice(`${serverBanner("Full")} configured -- resuming normal operations`);
  for (const { protocol, ...address } of addresses) {
    logger.notice(`Listening on ${listenerUrl({ transport: "tcp", ...address }, protocol)}`);
  }
}

/**
 * `--watch`: the directories of the App modules, watched; a change restarts gracefully (a
 * SIGUSR2 to this process, the path `-k graceful` takes).
 */
function watchApps(config: ServerConfig, logger: Logger): Disposable | null {
  const dirs = config.hosts.flatMap((host) => host.apps.map((app) => dirname(app.module)));
  if (dirs.length === 0) {
    logger.warn("--watch has nothing to watch: the configuration mounts no App module");
    return null;
  }
  return watchFiles(dirs, (paths) => {
    logger.notice(`${paths.join(", ")} changed (--watch): restarting gracefully`);
    Deno.kill(Deno.pid, "SIGUSR2");
  });
}

/**
 * Serves with the MPM's parent and children until SIGTERM/SIGINT (stop) or SIGWINCH
 * (graceful stop); SIGHUP and SIGUSR2 restart. Logs are flushed and closed before it returns.
 */
export async function serveWithMpm(
  args: Args,
  loaded: LoadedConfig,
  installDir: string,
): Promise<number> {
  const { config } = loaded;
  const sink = openConfiguredLog(config, "ErrorLog", { target: config.errorLog });
  let forgetPid = () => {};
  try {
    const format = config.errorLogFormat;
    const logger = createErrorLog({ level: config.logLevel, format, sink })
      .withModule(`mpm_${config.mpm}`);
    // As httpd's startup warnings, these are written whatever LogLevel says.
    const startupLog = createErrorLog({ level: "warn", format, sink });
    for (const warning of loaded.warnings) startupLog.warn(warning);
    try {
      await checkHostLogs(config, logger);
      using _watch = args.watch ? watchApps(config, logger) : null;
      return await runParent({
        config,
        logger,
        reload: () => readConfig(args, installDir),
        onListening: (running) => {
          announce(logger, running.listen);
          // The PidFile is `-k start`'s sign of readiness: the announcement is on disk first.
          void Promise.resolve(sink.flush()).then(() => forgetPid = recordPid(running))
            .catch((error) => logger.error(describeError(error)));
        },
      });
    } catch (error) {
      // main.ts prints it on stderr; an error log in a file keeps it too, as httpd's does,
      // for the operator of a server started in the background (`-k start` relays it).
      if (error instanceof ConfigErrors && config.errorLog !== "stderr") {
        for (const line of error.message.split("\n")) startupLog.log("emerg", line);
      }
      throw error;
    }
  } finally {
    forgetPid();
    await sink.close();
  }
}

/**
 * `-X`: one slot in this process until SIGTERM/SIGINT (stop: in-flight requests aborted) or
 * SIGWINCH (graceful stop; a SIGTERM/SIGINT during it stops at once); under GracefulSigterm
 * a first SIGTERM stops gracefully too.
 */
export async function serveSingle(loaded: LoadedConfig): Promise<number> {
  const { config } = loaded;
  using signals = watchStopSignals(config.gracefulShutdownTimeoutMs, config.gracefulSigterm);
  const sink = openConfiguredLog(config, "ErrorLog", { target: config.errorLog });
  let forgetPid = () => {};
  try {
    const format = config.errorLogFormat;
    const logger = createErrorLog({ level: config.logLevel, format, sink });
    const startupLog = createErrorLog({ level: "warn", format, sink });
    for (const warning of loaded.warnings) startupLog.warn(warning);
    const server = await startSingleSlot(config, logger);
    forgetPid = recordPid(config);
    const mpmLog = logger.withModule(`mpm_${config.mpm}`);
    announce(mpmLog, server.addresses);

    const first = await signals.first;
    let stopSignal = first.signal;
    if (first.graceMs !== 0) {
      mpmLog.notice(`caught ${first.signal}, shutting down gracefully`);
      const stopped = server.shutdown(first.graceMs).then(() => null);
      const now = await Promise.race([stopped, signals.immediate]);
      if (now === null) return EXIT.ok;
      stopSignal = now;
    }
    mpmLog.notice(`caught ${stopSignal}, shutting down`);
    await server.shutdown(0);
    return EXIT.ok;
  } finally {
    forgetPid();
    await sink.close();
  }
}
