/**
 * The mime-db package, named in full: mpmd's modules load under whatever import map the
 * process has (an app's own, say), so none of them names a package through mpmd's. `deno.json`
 * maps `mime-db` to the same version, for the build's lockfile.
 *
 * @module
 */

export { default as mimeDb } from "npm:mime-db@1.54.0";
