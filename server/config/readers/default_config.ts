/**
 * The configuration used when no config file is given: the bundled example site on the
 * loopback interface, quiet (no access log), with small process and thread pools. ServerRoot
 * is the working directory (a log or PidFile named on the command line lands where the user
 * runs mpmd, never in the install directory or a compiled binary's embedded files), so the
 * example site is named by its absolute path.
 *
 * @module
 */

/**
 * The embedded default configuration, in the same YAML format as a config file.
 *
 * @param documentRoot the bundled example site's absolute path (next to `main.ts`, or among a
 *   compiled binary's embedded files), or the directory `mpmd DIR` serves.
 */
export function defaultConfigYaml(documentRoot: string): string {
  // A JSON string is a YAML flow scalar: any path is quoted safely.
  return `# mpmd's built-in configuration (used when no -f file is given).
Listen: 127.0.0.1:8080
DocumentRoot: ${JSON.stringify(documentRoot)}
LogLevel: warn

# Pools sized for a laptop or a small container, not httpd's 3 x 25 threads: every thread is
# a V8 isolate (about 20 MB), and one event thread serves many connections at once.
event:
  StartServers: 2
  ThreadsPerChild: 2
  MinSpareThreads: 2
  MaxSpareThreads: 6
  ServerLimit: 4
  MaxRequestWorkers: 8
worker:
  StartServers: 2
  ThreadsPerChild: 4
  MinSpareThreads: 2
  MaxSpareThreads: 8
  ServerLimit: 8
  MaxRequestWorkers: 32
prefork:
  StartServers: 4
  MinSpareServers: 2
  MaxSpareServers: 6
  MaxRequestWorkers: 32
`;
}

/**
 * The configuration of `mpmd DIR`: the embedded default serving `directory`, with listings
 * of folders that have no index, as `python3 -m http.server` does (as a table with sizes and
 * dates, folders first).
 *
 * @param directory The directory's absolute path.
 */
export function directoryConfigYaml(directory: string): string {
  return `${defaultConfigYaml(directory)}Options: [Indexes]\n` +
    "IndexOptions: [FancyIndexing, HTMLTable, FoldersFirst, VersionSort]\n";
}

/**
 * The configuration of `mpmd app.ts` (or `--app app.ts`): the embedded default with the
 * module mounted on `/`, so that it answers every request as under `deno serve`.
 *
 * @param exampleSite the bundled example site's absolute path.
 * @param module The module's absolute path.
 */
export function appConfigYaml(exampleSite: string, module: string): string {
  return `${defaultConfigYaml(exampleSite)}App:\n  - Location: /\n    Module: ${
    JSON.stringify(module)
  }\n`;
}
