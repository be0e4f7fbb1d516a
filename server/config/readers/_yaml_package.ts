/**
 * The YAML package the config readers use, named in full: mpmd's modules load under whatever
 * import map the process has (an app's own, say), so none of them names a package through
 * mpmd's. `deno.json` maps `yaml` to the same version, for the tests and the build's lockfile.
 *
 * @module
 */

export * from "npm:yaml@2.9.1";
