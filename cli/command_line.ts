/**
 * mpmd's command line: its flags and usage text, the exit codes (httpd's), and the reading of
 * the configuration the flags name.
 *
 * @module
 */

import { isIP } from "node:net";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { didYouMeanHint } from "../base/mod.ts";
import { chooseDefaultMpm } from "../mpm/mod.ts";
import {
  CONTROL_VERBS,
  type ControlVerb,
  detectCapabilities,
  isControlVerb,
} from "../platform/mod.ts";
import { ConfigError, ConfigErrors, MPM_NAMES, type MpmName } from "../server/config/mod.ts";
import {
  type ListenOverride,
  loadConfig,
  type LoadedConfig,
  moduleListReport,
  runConfigReport,
  type ServeWhat,
  virtualHostReport,
} from "../server/config/readers/mod.ts";

/** The usage text of `-h` and of a command line that cannot be parsed. */
export const USAGE = `Usage: mpmd [DIR | APP.ts | --app APP.ts] [-p PORT] [--host ADDR] [--watch]
            [-f FILE] [-k start|stop|restart|graceful|graceful-stop] [-X] [-t]
            [-v] [-V] [-l] [-M] [-S] [--convert FILE] [--mpm NAME] [-D NAME]
            [-C "Directive value"] [-c "Directive value"]
Options:
  DIR                serve the directory DIR, with listings, on http://127.0.0.1:8080/ (the
                     embedded configuration with DIR as its DocumentRoot)
  APP.ts             serve the module APP.ts (export default { fetch }) on /, the same way
  --app APP.ts       the same, for a module whose name could be read as a directory
  -p, --port PORT    listen on PORT (0: a free one); overrides Listen, -f's included
  --host ADDR        listen on ADDR (an IP address, or localhost); overrides Listen
  -f FILE            read the configuration from FILE: YAML, or httpd.conf syntax for a file
                     that is not YAML (see docs/configuration.md); default: the embedded one
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

/** What follows a usage error's one line. */
export const USAGE_HINT = "Run mpmd -h for the options.";

/** Exit codes, as httpd uses them: 1 for a configuration or startup error, 2 for usage. */
export const EXIT = { ok: 0, error: 1, usage: 2 } as const;

/** The parsed command line: each flag by its long name. */
export interface Args {
  /** `-f FILE`. */
  readonly file: string | undefined;
  /** What `mpmd DIR`, `mpmd APP.ts` or `--app APP.ts` serves with the embedded default. */
  readonly target: ServeTarget | null;
  /** `--port` and `--host`: the one address to listen on, replacing Listen. */
  readonly listen: ListenOverride | null;
  /** `--watch`. */
  readonly watch: boolean | undefined;
  /** `-X`. */
  readonly "single-process": boolean | undefined;
  /** `-t`. */
  readonly "test-config": boolean | undefined;
  /** `-v`. */
  readonly version: boolean | undefined;
  /** `-V`. */
  readonly build: boolean | undefined;
  /** `-l`. */
  readonly "list-modules": boolean | undefined;
  /** `-M`. */
  readonly "dump-modules": boolean | undefined;
  /** `-S`. */
  readonly "dump-settings": boolean | undefined;
  /** `--convert FILE`. */
  readonly convert: string | undefined;
  /** `--mpm NAME`. */
  readonly mpm: MpmName | undefined;
  /** `-D NAME`, each. */
  readonly define: string[] | undefined;
  /** `-C "Directive value"`, each. */
  readonly "directive-before": string[] | undefined;
  /** `-c "Directive value"`, each. */
  readonly "directive-after": string[] | undefined;
  /** `-h`. */
  readonly help: boolean | undefined;
  /** `-k VERB`. */
  readonly control: ControlVerb | undefined;
}

/** The flags, by long name; what {@link parseCommandLine} reads. */
const FLAGS = {
  "file": { type: "string", short: "f" },
  "app": { type: "string" },
  "port": { type: "string", short: "p" },
  "host": { type: "string" },
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
} as const;

/** Every spelling of a flag, for "did you mean" hints. */
const FLAG_SPELLINGS = Object.entries(FLAGS).flatMap(([name, flag]) => [
  `--${name}`,
  ...("short" in flag ? [`-${flag.short}`] : []),
]);

/** node's parseArgs over {@link FLAGS}, with its unknown-option error reworded as mpmd's. */
function parseFlags(argv: string[]) {
  try {
    return parseArgs({ args: argv, strict: true, allowPositionals: true, options: FLAGS });
  } catch (error) {
    const unknown = /^Unknown option '([^']+)'/.exec(error instanceof Error ? error.message : "");
    if (unknown === null) throw error;
    const flag = unknown[1]!;
    throw new TypeError(
      `Cannot use ${flag}: unknown option${didYouMeanHint(flag, FLAG_SPELLINGS)}`,
    );
  }
}

/**
 * Parses the command line.
 *
 * @throws {TypeError} naming what is wrong (an unknown MPM, two app modules, …).
 */
export function parseCommandLine(argv: string[]): Args {
  const { values, positionals } = parseFlags(argv);
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
  return {
    file: values.file,
    target: serveTarget(values, positionals),
    listen: listenOverride(values),
    watch: values.watch,
    "single-process": values["single-process"],
    "test-config": values["test-config"],
    version: values.version,
    build: values.build,
    "list-modules": values["list-modules"],
    "dump-modules": values["dump-modules"],
    "dump-settings": values["dump-settings"],
    convert: values.convert,
    mpm,
    define: values.define,
    "directive-before": values["directive-before"],
    "directive-after": values["directive-after"],
    help: values.help,
    control,
  };
}

/**
 * What the command line asks to serve: `--app`'s module, or the one positional argument,
 * a directory or a module (which one is known once it is looked at: {@link readConfig}).
 */
export interface ServeTarget {
  /** As given. */
  readonly path: string;
  /** `--app`: a module, whatever the path looks like. */
  readonly app: boolean;
}

function serveTarget(
  values: { app?: string; file?: string },
  positionals: string[],
): ServeTarget | null {
  const paths = values.app === undefined ? positionals : [values.app, ...positionals];
  if (paths.length > 1) {
    throw new TypeError(`Cannot serve ${paths.join(" and ")}: one directory or app module at most`);
  }
  const path = paths[0];
  if (path === undefined) return null;
  if (values.file !== undefined) {
    throw new TypeError(
      `Cannot serve ${path} with -f: set DocumentRoot or mount it with App in the config file`,
    );
  }
  return { path, app: values.app !== undefined };
}

/** `--port` and `--host` as given, checked. */
function listenOverride(values: { port?: string; host?: string }): ListenOverride | null {
  const { port, host } = values;
  if (port === undefined && host === undefined) return null;
  const number = port === undefined ? undefined : Number(port);
  if (number !== undefined && !(Number.isInteger(number) && number >= 0 && number <= 65_535)) {
    throw new TypeError(`Cannot use --port ${port}: not a port number (0 to 65535)`);
  }
  // An IPv6 address may come in brackets, as in a URL.
  const hostname = host === "localhost" ? "127.0.0.1" : host?.replace(/^\[(.*)\]$/, "$1");
  if (hostname !== undefined && isIP(hostname) === 0) {
    throw new TypeError(`Cannot use --host ${host}: not an IP address (nor localhost)`);
  }
  return {
    ...(number !== undefined && { port: number }),
    ...(hostname !== undefined && { hostname }),
  };
}

function isMpmName(name: string): name is MpmName {
  return (MPM_NAMES as readonly string[]).includes(name);
}

/** Reads the configuration the command line names, from `installDir` for the embedded one. */
export async function readConfig(args: Args, installDir: string): Promise<LoadedConfig> {
  const userDir = userDirectory();
  return await loadConfig({
    userDir,
    file: args.convert ?? args.file ?? null,
    serve: args.target === null ? null : await lookAt(args.target, userDir),
    ...(args.listen !== null && { listen: args.listen }),
    defines: [...(args.define ?? []), ...dumpDefines(args)],
    directivesBefore: args["directive-before"] ?? [],
    directivesAfter: args["directive-after"] ?? [],
    ...(args.mpm !== undefined && { mpmOverride: args.mpm }),
    platformDefaultMpm: chooseDefaultMpm(detectCapabilities()).mpm,
    installDir,
    checkWritable: args["test-config"] || !readsOnly(args),
  });
}

/**
 * Where the user typed the command: `deno task start` (and npm) run mpmd in its own folder and
 * name the user's in INIT_CWD, so that `deno task start .` serves the user's folder.
 */
function userDirectory(): string {
  return Deno.env.get("INIT_CWD") || Deno.cwd();
}

/**
 * A directory to serve, or a module; a path that does not exist is a command-line error here
 * rather than a config error at a line of the embedded configuration the user never wrote.
 */
async function lookAt(target: ServeTarget, userDir: string): Promise<ServeWhat> {
  const path = resolve(userDir, target.path);
  let info: Deno.FileInfo;
  try {
    info = await Deno.stat(path);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
    throw new ConfigErrors([
      new ConfigError({
        at: { file: "command line", line: null, column: null },
        directive: null,
        detail: `Cannot serve ${target.path}: no such file or directory`,
        cause: error,
      }),
    ]);
  }
  return info.isDirectory && !target.app ? { directory: path } : { app: path };
}

/** Whether the command line only reads the configuration: dumps, a conversion, `-V`. */
function readsOnly(args: Args): boolean {
  const { build, "dump-modules": modules, "dump-settings": settings } = args;
  return args.convert !== undefined || Boolean(build || modules || settings);
}

/** httpd's `-M` and `-S` are `-D DUMP_…` names, which IfDefine sees too. */
function dumpDefines(args: Args): string[] {
  return [
    ...(args["dump-settings"] ? ["DUMP_VHOSTS", "DUMP_RUN_CFG"] : []),
    ...(args["dump-modules"] ? ["DUMP_MODULES"] : []),
  ];
}

/** What the `DUMP_…` names ask for, in httpd's order. */
export function configDumps(loaded: LoadedConfig): string[] {
  const { config, variables } = loaded;
  const asked = (name: string) => Object.hasOwn(variables, name);
  const mpmLoaded = loaded.syntax === "httpd" && config.mpmChosenBy === "MPM directive";
  return [
    ...(asked("DUMP_VHOSTS") ? [virtualHostReport(config)] : []),
    ...(asked("DUMP_RUN_CFG") ? [runConfigReport(loaded)] : []),
    ...(asked("DUMP_MODULES")
      ? [moduleListReport(config.mpm, mpmLoaded ? "shared" : "static", config.loadedModules)]
      : []),
  ];
}
