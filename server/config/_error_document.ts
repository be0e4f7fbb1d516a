/**
 * ErrorDocument: what a host answers instead of its own error page for a status — a local URL
 * path (served with the error's status), an external URL (a redirect to it), or a text (the
 * body itself); `default` goes back to the built-in page. httpd's line `ErrorDocument 404
 * /missing.html` is written the same way in YAML, or as a map `{404: /missing.html}`.
 *
 * @module
 */

import { describeValue, type Directive, DirectiveValueError } from "./directive.ts";
import type { ErrorDocument } from "./server_config.ts";

/** Parses one `STATUS document` pair; `null` for `default`. */
function parseDocument(status: string, written: string): [number, ErrorDocument | null] {
  const code = Number(status);
  if (!/^\d{3}$/.test(status) || code < 400 || code > 599) {
    throw new DirectiveValueError(`${JSON.stringify(status)} is not an error status (400 to 599)`);
  }
  const text = written.trim();
  if (text === "") throw new DirectiveValueError(`ErrorDocument ${status} needs a document`);
  if (text === "default") return [code, null];
  // httpd's rule: a leading quote makes a text, a leading slash a local URL, else a URL.
  if (text.startsWith('"')) {
    return [code, { kind: "text", value: text.slice(1).replace(/"$/, "").replace(/\\"/g, '"') }];
  }
  if (text.startsWith("/")) return [code, { kind: "path", value: text }];
  if (/^[a-z][a-z0-9+.-]*:\/\/\S+$/i.test(text)) return [code, { kind: "url", value: text }];
  return [code, { kind: "text", value: text }];
}

/** ErrorDocument: status → document, the later line for a status winning. */
export const ERROR_DOCUMENT: Directive<Readonly<Record<number, ErrorDocument | null>>> = {
  name: "ErrorDocument",
  help: 'What a host answers for an error status: a local path, a URL or "text"',
  default: {},
  parse(value) {
    const pairs: [string, string][] = [];
    const line = (item: unknown) => {
      if (typeof item !== "string") {
        throw new DirectiveValueError(`${describeValue(item)} is not an ErrorDocument line`);
      }
      const m = /^\s*(\S+)\s*([\s\S]*)$/.exec(item);
      pairs.push([m?.[1] ?? "", m?.[2] ?? ""]);
    };
    if (Array.isArray(value)) value.forEach(line);
    else if (value !== null && typeof value === "object") {
      for (const [status, document] of Object.entries(value)) {
        pairs.push([status, typeof document === "string" ? document : describeValue(document)]);
      }
    } else line(value);
    return Object.fromEntries(pairs.map(([status, written]) => parseDocument(status, written)));
  },
  combine: (earlier, later) => ({ ...earlier, ...later }),
};
