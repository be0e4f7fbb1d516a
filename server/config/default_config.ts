/**
 * The configuration used when no config file is given: the bundled example site on the
 * loopback interface, quiet (no access log). ServerRoot is the program's own directory, so
 * `examples/site` is found next to `main.ts` or the compiled binary.
 *
 * @module
 */

/** The embedded default configuration, in the same YAML format as a config file. */
export const DEFAULT_CONFIG_YAML = `# mpmd's built-in configuration (used when no -f file is given).
Listen: 127.0.0.1:8080
DocumentRoot: examples/site
LogLevel: warn
`;
