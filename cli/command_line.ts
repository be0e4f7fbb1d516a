/**
 * mpmd's command line: its flags and usage text, the exit codes (httpd's), and the reading of
 * the configuration the flags name.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { chooseDefaultMpm } from "../mpm/mod.ts";
import {
  CONTROL_VERBS,
  type ControlVerb,
  detectCapabilities,
  isControlVerb,
} from "../platform/mod.ts";
import { MPM_NAMES, type MpmName } from "../server/config/mod.ts";
import {
  loadConfig,
  type LoadedConfig,
  moduleListReport,
  runConfigReport,
  virtualHostReport,
} from "../server/config/readers/mod.ts";

/** The usage text of `-h` and of a command line that cannot be parsed. */
export const USAGE = `Usage: mpmd [APP.ts | --app APP.ts] [--watch] [-f FILE]
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
export const EXIT = { ok: 0, error: 1, usage: 2 } as const;

/** The parsed command line: each flag by its long name. */
export interface Args {
  /** `-f FILE`. */
  readonly file: string | undefined;
  /** The app module of `mpmd APP.ts` or `--app APP.ts`. */
  readonly app: string | null;
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

/**
 * Parses the command line.
 *
 * @throws {TypeError} naming what is wrong (an unknown MPM, two app modules, …).
 */
export function parseCommandLine(argv: string[]): Args {
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
  return {
    file: values.file,
    app: appModule(values, positionals),
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

/** Reads the configuration the command line names, from `installDir` for the embedded one. */
export function readConfig(args: Args, installDir: string): Promise<LoadedConfig> {
  return loadConfig({
    file: args.convert ?? args.file ?? null,
    app: args.app,
    defines: [...(args.define ?? []), ...dumpDefines(args)],
    directivesBefore: args["directive-before"] ?? [],
    directivesAfter: args["directive-after"] ?? [],
    ...(args.mpm !== undefined && { mpmOverride: args.mpm }),
    platformDefaultMpm: chooseDefaultMpm(detectCapabilities()).mpm,
    installDir,
    checkWritable: args["test-config"] || !readsOnly(args),
  });
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
      ? [moduleListReport(config.mpm, mpmLoaded ? "shared" : "static")]
      : []),
  ];
}
