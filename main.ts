/**
 * The mpmd command line: `mpmd [DIR | APP.ts | --app APP.ts] [-p PORT] [--host ADDR] [--watch]
 * [-f FILE] [-k VERB] [-X] [-t] [-v] [-V] [-l] [-M] [-S] [--convert FILE] [--mpm NAME] [-D NAME]
 * [-C "Directive value"] [-c "Directive value"]`, and the hidden `--child` entry of a
 * re-executed child. This file
 * wires the command line's parts (`cli/`) together, prints what they report, and is the one
 * place where errors become exit codes.
 *
 * @module
 */

import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { describeError } from "./base/mod.ts";
import {
  appDenoConfig,
  type Args,
  buildReport,
  checkAppModules,
  configDumps,
  control,
  EXIT,
  moduleReport,
  parseCommandLine,
  readConfig,
  restartPreview,
  runUnder,
  serveSingle,
  serveWithMpm,
  USAGE,
  USAGE_HINT,
  versionReport,
} from "./cli/mod.ts";
import { chooseDefaultMpm, MPMS } from "./mpm/mod.ts";
import { CHILD_ARGUMENT, runChild } from "./mpm/machinery/mod.ts";
import { detectCapabilities, PidFileError } from "./platform/mod.ts";
import { ConfigErrors } from "./server/config/mod.ts";
import { configToYaml } from "./server/config/readers/mod.ts";

/** The program's own directory: where the embedded default finds the example site. */
const INSTALL_DIR = dirname(fileURLToPath(import.meta.url));

const encoder = new TextEncoder();
const print = (text: string) => void Deno.stdout.writeSync(encoder.encode(`${text}\n`));
const printError = (text: string) => void Deno.stderr.writeSync(encoder.encode(`${text}\n`));

async function main(argv: string[]): Promise<number> {
  let args: Args;
  try {
    args = parseCommandLine(argv);
  } catch (error) {
    const reason = describeError(error);
    printError(`mpmd: ${reason}\n${USAGE_HINT}`);
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
    const loaded = await readConfig(args, INSTALL_DIR);
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
    // An app module with its own deno.json resolves its imports with it, as under deno serve:
    // for whatever imports the apps (-t, serving, the server -k starts), not for -M and -S.
    const importsApps = args["test-config"] || !(args["dump-modules"] || args["dump-settings"]);
    const denoConfig = importsApps ? appDenoConfig(loaded.config, INSTALL_DIR) : null;
    if (denoConfig !== null) {
      const problem = runUnder(denoConfig, argv);
      if (problem !== null) printError(`mpmd: ${problem}`);
    }
    if (args["test-config"] || args["dump-modules"] || args["dump-settings"]) {
      for (const warning of loaded.warnings) printError(warning);
      for (const dump of configDumps(loaded)) print(dump);
      // As httpd: -M and -S only dump; -t -D DUMP_… dumps, then checks.
      if (args["test-config"]) {
        await checkAppModules(loaded);
        const preview = await restartPreview(loaded.config);
        if (preview !== null) printError(preview);
        printError("Syntax OK");
      }
      return EXIT.ok;
    }
    const verb = args.control;
    if (verb !== undefined) {
      const outcome = await control(verb, argv, loaded.config);
      if (outcome.message !== "") printError(outcome.message);
      return outcome.exitCode;
    }
    return args["single-process"]
      ? await serveSingle(loaded)
      : await serveWithMpm(args, loaded, INSTALL_DIR);
  } catch (error) {
    if (error instanceof ConfigErrors) {
      for (const warning of error.warnings) printError(warning);
      printError(error.message);
      return EXIT.error;
    }
    if (error instanceof PidFileError) {
      printError(`mpmd: ${error.message} (set PidFile to a file you can write, or leave it unset)`);
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
