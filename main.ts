/**
 * The mpmd command line: `mpmd [-f FILE] [-X] [-t] [-v] [-V] [-l] [--mpm NAME] [-D NAME]
 * [-C "Directive value"] [-c "Directive value"]`. This file parses arguments, wires the parts
 * together, and is the one place where errors become exit codes.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { MPMS } from "./mpm/mod.ts";
import { createHostHandler } from "./modules/mod.ts";
import { chooseDefaultMpm, detectCapabilities, watchStopSignals } from "./platform/mod.ts";
import {
  ConfigErrors,
  type HostConfig,
  loadConfig,
  type LoadedConfig,
  MPM_NAMES,
  type MpmName,
} from "./server/config/mod.ts";
import { createErrorLog } from "./server/log/mod.ts";
import { listenerUrl, openConfiguredLog, startServer } from "./server/start_server.ts";
import { serverBanner } from "./server/version.ts";
import { buildReport, moduleReport, versionReport } from "./server/version_report.ts";
import { createVirtualHostRouter } from "./server/virtual_hosts.ts";

const USAGE = `Usage: mpmd [-f FILE] [-X] [-t] [-v] [-V] [-l] [--mpm NAME] [-D NAME]
            [-C "Directive value"] [-c "Directive value"]
Options:
  -f FILE            read the configuration from FILE (YAML); default: the embedded one
  -X                 run one slot in the foreground (debugging)
  -t                 check the configuration and exit: "Syntax OK" or every error
  -v                 show the version and exit
  -V                 show the version, the MPM and the platform's capabilities, and exit
  -l                 list the compiled-in modules and MPMs, and exit
  --mpm NAME         use this MPM (${MPM_NAMES.join(", ")})
  -D NAME            define NAME for IfDefine sections
  -C "Directive v"   apply a directive before reading the configuration file
  -c "Directive v"   apply a directive after reading the configuration file
  -h                 show this help`;

/** Exit codes, as httpd uses them: 1 for a configuration or startup error, 2 for usage. */
const EXIT = { ok: 0, error: 1, usage: 2 } as const;

/** The program's own directory: ServerRoot of the embedded default (also when compiled). */
const INSTALL_DIR = dirname(fileURLToPath(import.meta.url));

type Args = ReturnType<typeof parseCommandLine>;

function parseCommandLine(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      "file": { type: "string", short: "f" },
      "single-process": { type: "boolean", short: "X" },
      "test-config": { type: "boolean", short: "t" },
      "version": { type: "boolean", short: "v" },
      "build": { type: "boolean", short: "V" },
      "list-modules": { type: "boolean", short: "l" },
      "mpm": { type: "string" },
      "define": { type: "string", short: "D", multiple: true },
      "directive-before": { type: "string", short: "C", multiple: true },
      "directive-after": { type: "string", short: "c", multiple: true },
      "help": { type: "boolean", short: "h" },
    },
  });
  const mpm = values.mpm;
  if (mpm !== undefined && !isMpmName(mpm)) {
    throw new TypeError(`Cannot use --mpm ${mpm}: not one of ${MPM_NAMES.join(", ")}`);
  }
  return { ...values, mpm };
}

function isMpmName(name: string): name is MpmName {
  return (MPM_NAMES as readonly string[]).includes(name);
}

function readConfig(args: Args): Promise<LoadedConfig> {
  return loadConfig({
    file: args.file ?? null,
    defines: args.define ?? [],
    directivesBefore: args["directive-before"] ?? [],
    directivesAfter: args["directive-after"] ?? [],
    ...(args.mpm !== undefined && { mpmOverride: args.mpm }),
    platformDefaultMpm: chooseDefaultMpm(detectCapabilities()).mpm,
    installDir: INSTALL_DIR,
  });
}

/**
 * Serves until SIGTERM/SIGINT (stop: in-flight requests aborted) or SIGWINCH (graceful stop;
 * a SIGTERM/SIGINT during it stops at once). Logs are flushed and closed before it returns.
 */
async function serve(args: Args, loaded: LoadedConfig): Promise<number> {
  const { config } = loaded;
  using signals = watchStopSignals(config.gracefulShutdownTimeoutMs);
  const sink = openConfiguredLog(config, "ErrorLog", { target: config.errorLog });
  try {
    const logger = createErrorLog({ level: config.logLevel, sink });
    // As httpd's startup warnings, these are written whatever LogLevel says.
    const startupLog = createErrorLog({ level: "warn", sink });
    for (const warning of loaded.warnings) startupLog.warn(warning);

    const virtualHost = (host: HostConfig) => ({
      config: host,
      handler: createHostHandler(host, { logger }),
    });
    const [defaultHost, ...otherHosts] = config.hosts;
    const handler = createVirtualHostRouter([
      virtualHost(defaultHost),
      ...otherHosts.map(virtualHost),
    ]);
    const server = startServer(config, { logger, handler });

    const mpmLog = logger.withModule(`mpm_${config.mpm}`);
    if (!args["single-process"]) {
      mpmLog.notice(
        `The ${config.mpm} MPM's process and thread pools are not built yet: serving from this one process, as with -X`,
      );
    }
    mpmLog.notice(`${serverBanner("Full")} configured -- resuming normal operations`);
    for (const address of server.addresses) mpmLog.notice(`Listening on ${listenerUrl(address)}`);

    const graceMs = await signals.first;
    if (graceMs !== 0) {
      mpmLog.notice("caught SIGWINCH, shutting down gracefully");
      const stopped = server.shutdown(graceMs).then(() => false);
      if (!await Promise.race([stopped, signals.immediate.then(() => true)])) return EXIT.ok;
    }
    mpmLog.notice("caught SIGTERM, shutting down");
    await server.shutdown(0);
    return EXIT.ok;
  } finally {
    await sink.close();
  }
}

const encoder = new TextEncoder();
const print = (text: string) => void Deno.stdout.writeSync(encoder.encode(`${text}\n`));
const printError = (text: string) => void Deno.stderr.writeSync(encoder.encode(`${text}\n`));

async function main(argv: string[]): Promise<number> {
  let args: Args;
  try {
    args = parseCommandLine(argv);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    printError(`mpmd: ${reason}\n${USAGE}`);
    return EXIT.usage;
  }
  const report = args.help
    ? USAGE
    : args.version
    ? versionReport()
    : args["list-modules"]
    ? moduleReport()
    : null;
  if (report !== null) {
    print(report);
    return EXIT.ok;
  }

  try {
    const loaded = await readConfig(args);
    if (args.build) {
      const caps = detectCapabilities();
      const defaultMpm = chooseDefaultMpm(caps);
      const { mpm, mpmChosenBy } = loaded.config;
      print(buildReport({ mpm: MPMS[mpm], mpmSource: mpmChosenBy, caps, defaultMpm }));
      return EXIT.ok;
    }
    if (args["test-config"]) {
      for (const warning of loaded.warnings) printError(warning);
      printError("Syntax OK");
      return EXIT.ok;
    }
    return await serve(args, loaded);
  } catch (error) {
    if (error instanceof ConfigErrors) {
      printError(error.message);
      return EXIT.error;
    }
    // A bug rather than a configuration problem: say so first, then give the stack to report.
    const detail = error instanceof Error ? error.stack ?? String(error) : String(error);
    printError(`mpmd: Cannot continue: unexpected ${detail}`);
    return EXIT.error;
  }
}

if (import.meta.main) {
  Deno.exit(await main(Deno.args));
}
