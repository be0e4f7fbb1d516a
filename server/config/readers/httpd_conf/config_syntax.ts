/**
 * Which reader a config file gets: a file named `*.yaml` / `*.yml` is YAML; so is any other
 * file whose text parses as a YAML map of directives (or holds nothing but comments);
 * everything else is httpd's own syntax. An httpd.conf never parses as a YAML map: its lines
 * (`Listen 80`, `<IfModule …>`) are not `key: value` pairs.
 *
 * @module
 */

import { isMap, parseDocument } from "../_yaml_package.ts";

/** The two ways a config file may be written. */
export const CONFIG_SYNTAXES = ["yaml", "httpd"] as const;
/** One of {@link CONFIG_SYNTAXES}. */
export type ConfigSyntax = typeof CONFIG_SYNTAXES[number];

/** Decides how to read `text`, the content of `file` (`null`: the embedded default, YAML). */
export function configSyntaxOf(file: string | null, text: string): ConfigSyntax {
  if (file === null || /\.ya?ml$/i.test(file)) return "yaml";
  const doc = parseDocument(text);
  if (doc.errors.length > 0) return "httpd";
  const top = doc.contents;
  return top === null || isMap(top) ? "yaml" : "httpd";
}
