/**
 * The mpmd command line: `mpmd [APP.ts] [--app APP.ts] [--watch] [-f FILE] [-k VERB] [-X]
 * [-t] [-v] [-V] [-l] [-M] [-S] [--convert FILE] [--mpm NAME] [-D NAME] [-C "Directive value"]
 * [-c "Directive value"]`, and the hidden `--child` entry of a re-executed child. This file
 * parses arguments, wires the parts together, and is the one place where errors become exit
 * codes.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { chooseDefaultMpm, MPMS } from "./mpm/mod.ts";
import { CHILD_ARGUMENT, runChild, runParent } from "./mpm/machinery/mod.ts";
import {
  alreadyRunning,
  CONTROL_VERBS,
  type ControlVerb,
  detectCapabilities,
  isControlVerb,
  removePidFile,
  selfCommand,
  ServerStartError,
  signalServer,
  startDetached,
  watchFiles,
  watchStopSignals,
  writePidFile,
} from "./platform/mod.ts";
import { ConfigErrors, MPM_NAMES, type MpmName, type ServerConfig } from "./server/config/mod.ts";
import { createErrorLog, type Logger } from "./server/log/mod.ts";
import {
  configToYaml,
  loadConfig,
  type LoadedConfig,
  moduleListReport,
  runConfigReport,
  virtualHostReport,
} from "./server/config/readers/mod.ts";
import { checkAccessLogs, listenerUrl, openConfiguredLog, startSingleSlot } from "./slot/mod.ts";
import { serverBanner } from "./server/http/mod.ts";
import { buildReport, moduleReport, versionReport } from "./cli/mod.ts";
import { describeError } from "./base/mod.ts";

const USAGE = `Usage: mpmd [APP.ts | --app APP.ts] [--watch] [-f FILE]
            [-k start|stop|restart|graceful|graceful-stop] [-X] [-t]
            [-v] [-V] [-l] [-M] [-S] [--convert FILE] [--mpm NAME] [-D NAME]
            [-C "Directive value"] [-c "Directive value"]
Options:
  -f FILE            read the configuration from FILE: YAML, or httpd.conf syntax for a file
                     that is not YAML (see docs/configuration.md); default: the embedded one
  --app APP.ts       serve the module APP.ts (export default { fetch }) on / with the
                     embedded configuration (127.0.0.1:8080); also as the only argument
  --watch            restart gracefully when a file next to an App module changes
  -k VERB            start (in the background), stop, restart, graceful, graceful-stop:
                     control the server named by the PidFile
  -X                 run one slot in the foreground (debugging)
  -t                 check the configuration and exit: "Syntax OK" or every error
  -v                 show the version and exit
  -V                 show the version, the MPM and the platform's capabilities, and exit
  -l                 list the compiled-in modules and MPMs, and exit
  -M                 list the loaded modules (as -t -D DUMP_MODULES), and exit
  -S                 show the listeners and settings (as -t -D DUMP_VHOSTS -D DUMP_RUN_CFG)
  --convert FILE     print the configuration of FILE (e.g. an httpd.conf) as mpmd's YAML
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
  const { values, positionals } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: true,
    options: {
      "file": { type: "string", short: "f" },
      "app": { type: "string" },
      "watch": { type: "boolean" },
      "single-process": { type: "boolean", short: "X" },
      "test-config": { type: "boolean", short: "t" },
      "version": { type: "boolean", short: "v" },
      "build": { type: "boolean", short: "V" },
      "list-modules": { type: "boolean", short: "l" },
      "dump-modules": { type: "boolean", short: "M" },
      "dump-settings": { type: "boolean", short: "S" },
      "convert": { type: "string" },
      "mpm": { type: "string" },
      "define": { type: "string", short: "D", multiple: true },
      "directive-before": { type: "string", short: "C", multiple: true },
      "directive-after": { type: "string", short: "c", multiple: true },
      "help": { type: "boolean", short: "h" },
      "control": { type: "string", short: "k" },
    },
  });
  const mpm = values.mpm;
  if (mpm !== undefined && !isMpmName(mpm)) {
    throw new TypeError(`Cannot use --mpm ${mpm}: not one of ${MPM_NAMES.join(", ")}`);
  }
  const control = values.control;
  if (control !== undefined && !isControlVerb(control)) {
    throw new TypeError(`Cannot use -k ${control}: not one of ${CONTROL_VERBS.join(", ")}`);
  }
  if (values.convert !== undefined && values.file !== undefined) {
    throw new TypeError("Cannot use --convert with -f: --convert names the file to convert");
  }
  if (values.watch && values["single-process"]) {
    throw new TypeError("Cannot use --watch with -X: only the parent restarts");
  }
  return { ...values, mpm, control, app: appModule(values, positionals) };
}

/** The module of `mpmd app.ts` or `--app app.ts`, or `null`. */
function appModule(values: { app?: string; file?: string }, positionals: string[]): string | null {
  const modules = values.app === undefined ? positionals : [values.app, ...positionals];
  if (modules.length > 1) {
    throw new TypeError(`Cannot serve ${modules.join(" and ")}: one app module at most`);
  }
  const module = modules[0] ?? null;
  if (module !== null && values.file !== undefined) {
    throw new TypeError(`Cannot serve ${module} with -f: mount it with App in the config file`);
  }
  return module;
}

function isMpmName(name: string): name is MpmName {
  return (MPM_NAMES as readonly string[]).includes(name);
}

function readConfig(args: Args): Promise<LoadedConfig> {
  return loadConfig({
    file: args.convert ?? args.file ?? null,
    app: args.app,
    defines: [...(args.define ?? []), ...dumpDefines(args)],
    directivesBefore: args["directive-before"] ?? [],
    directivesAfter: args["directive-after"] ?? [],
    ...(args.mpm !== undefined && { mpmOverride: args.mpm }),
    platformDefaultMpm: chooseDefaultMpm(detectCapabilities()).mpm,
    installDir: INSTALL_DIR,
  });
}

/** httpd's `-M` and `-S` are `-D DUMP_…` names, which IfDefine sees too. */
function dumpDefines(args: Args): string[] {
  return [
    ...(args["dump-settings"] ? ["DUMP_VHOSTS", "DUMP_RUN_CFG"] : []),
    ...(args["dump-modules"] ? ["DUMP_MODULES"] : []),
  ];
}

/** What the `DUMP_…` names ask for, in httpd's order. */
function configDumps(loaded: LoadedConfig): string[] {
  const { config, variables } = loaded;
  const asked = (name: string) => Object.hasOwn(variables, name);
  const mpmLoaded = loaded.syntax === "httpd" && config.mpmChosenBy === "MPM directive";
  return [
    ...(asked("DUMP_VHOSTS") ? [virtualHostReport(config)] : []),
    ...(asked("DUMP_RUN_CFG") ? [runConfigReport(loaded)] : []),
    ...(asked("DUMP_MODULES")
      ? [moduleListReport(config.mpm, mpmLoaded ? "shared" : "static")]
      : []),
  ];
}

/** Writes the PidFile (creating its directory) and returns its remover. */
function recordPid(config: ServerConfig): () => void {
  Deno.mkdirSync(dirname(config.pidFile), { recursive: true });
  writePidFile(config.pidFile, Deno.pid);
  return () => removePidFile(config.pidFile, Deno.pid);
}

function announce(logger: Logger, addresses: readonly { hostname: string; port: number }[]) {
  logger.notice(`${serverBanner("Full")} configured -- resuming normal operations`);
  for (const address of addresses) {
    logger.notice(`Listening on ${listenerUrl({ transport: "tcp", ...address })}`);
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
async function serveWithMpm(args: Args, loaded: LoadedConfig): Promise<number> {
  const { config } = loaded;
  const sink = openConfiguredLog(config, "ErrorLog", { target: config.errorLog });
  let forgetPid = () => {};
  try {
    const logger = createErrorLog({ level: config.logLevel, sink }).withModule(`mpm_${config.mpm}`);
    // As httpd's startup warnings, these are written whatever LogLevel says.
    const startupLog = createErrorLog({ level: "warn", sink });
    for (const warning of loaded.warnings) startupLog.warn(warning);
    await checkAccessLogs(config, logger);
    using _watch = args.watch ? watchApps(config, logger) : null;
    return await runParent({
      config,
      logger,
      reload: () => readConfig(args),
      onListening: (running) => {
        forgetPid = recordPid(running);
        announce(logger, running.listen);
      },
    });
  } finally {
    forgetPid();
    await sink.close();
  }
}

/**
 * `-X`: one slot in this process until SIGTERM/SIGINT (stop: in-flight requests aborted) or
 * SIGWINCH (graceful stop; a SIGTERM/SIGINT during it stops at once).
 */
async function serveSingle(loaded: LoadedConfig): Promise<number> {
  const { config } = loaded;
  using signals = watchStopSignals(config.gracefulShutdownTimeoutMs);
  const sink = openConfiguredLog(config, "ErrorLog", { target: config.errorLog });
  let forgetPid = () => {};
  try {
    const logger = createErrorLog({ level: config.logLevel, sink });
    const startupLog = createErrorLog({ level: "warn", sink });
    for (const warning of loaded.warnings) startupLog.warn(warning);
    const server = await startSingleSlot(config, logger);
    forgetPid = recordPid(config);
    const mpmLog = logger.withModule(`mpm_${config.mpm}`);
    announce(mpmLog, server.addresses);

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
    forgetPid();
    await sink.close();
  }
}

/** `-k VERB`: signals the server named by the PidFile, or starts one detached. */
async function control(verb: ControlVerb, argv: string[], config: ServerConfig): Promise<number> {
  if (verb === "start") {
    const pid = alreadyRunning(config.pidFile);
    if (pid !== null) {
      printError(`mpmd (pid ${pid}) already running`);
      return EXIT.error;
    }
    return await startInBackground(argv, config);
  }
  const result = signalServer(verb, config.pidFile);
  if (result.message !== "") printError(result.message);
  if (result.startInstead) return await startInBackground(argv, config);
  return result.exitCode;
}

async function startInBackground(argv: string[], config: ServerConfig): Promise<number> {
  // A server that logs to a file must not hold this terminal's stderr open once detached.
  await startDetached(selfCommand(withoutControlVerb(argv)), {
    pidFile: config.pidFile,
    stderr: config.errorLog === "stderr" ? "inherit" : "null",
  });
  return EXIT.ok;
}

/** The command line without its `-k VERB` (the detached server runs in the foreground). */
function withoutControlVerb(argv: string[]): string[] {
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "-k") i++;
    else if (!argv[i]!.startsWith("-k")) rest.push(argv[i]!);
  }
  return rest;
}

const encoder = new TextEncoder();
const print = (text: string) => void Deno.stdout.writeSync(encoder.encode(`${text}\n`));
const printError = (text: string) => void Deno.stderr.writeSync(encoder.encode(`${text}\n`));

async function main(argv: string[]): Promise<number> {
  let args: Args;
  try {
    args = parseCommandLine(argv);
  } catch (error) {
    const reason = describeError(error);
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
    if (args.convert !== undefined) {
      for (const warning of loaded.warnings) printError(warning);
      print(configToYaml(loaded.config, { source: args.convert }).trimEnd());
      return EXIT.ok;
    }
    if (args["test-config"] || args["dump-modules"] || args["dump-settings"]) {
      for (const warning of loaded.warnings) printError(warning);
      for (const dump of configDumps(loaded)) print(dump);
      // As httpd: -M and -S only dump; -t -D DUMP_… dumps, then checks.
      if (args["test-config"]) printError("Syntax OK");
      return EXIT.ok;
    }
    const verb = args.control;
    if (verb !== undefined) return await control(verb, argv, loaded.config);
    return args["single-process"] ? await serveSingle(loaded) : await serveWithMpm(args, loaded);
  } catch (error) {
    if (error instanceof ConfigErrors) {
      for (const warning of error.warnings) printError(warning);
      printError(error.message);
      return EXIT.error;
    }
    // -k start: the server said why on the stderr it inherited; this says that it is gone.
    if (error instanceof ServerStartError) {
      printError(`mpmd: ${error.message}`);
      return EXIT.error;
    }
    // A bug rather than a configuration problem: say so first, then give the stack to report.
    const detail = error instanceof Error ? error.stack ?? String(error) : String(error);
    printError(`mpmd: Cannot continue: unexpected ${detail}`);
    return EXIT.error;
  }
}

if (import.meta.main) {
  Deno.exit(Deno.args[0] === CHILD_ARGUMENT ? await runChild() : await main(Deno.args));
}
