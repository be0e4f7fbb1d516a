import assert from "node:assert/strict";
import { MPM_DIRECTIVES } from "../../mpm/mod.ts";
import { HOST_DIRECTIVES, MPM_NAMES, SERVER_DIRECTIVES } from "../../server/config/mod.ts";
import { compileLogFormat } from "../../server/log/mod.ts";
import { defaultConfigYaml } from "../../server/config/readers/mod.ts";

/**
 * Keeps docs/configuration.md in step with the code: every directive the config reader
 * accepts has its own entry, the MPM defaults shown are the tables' defaults, and the
 * LogFormat tables say exactly what compileLogFormat() accepts and refuses.
 */

const DOC = await Deno.readTextFile(new URL("../../docs/configuration.md", import.meta.url));

/** The doc's lines, with fenced code blanked so that a `#` comment is never a heading. */
const PROSE_LINES: readonly string[] = (() => {
  let inFence = false;
  return DOC.split("\n").map((line) => {
    if (line.startsWith("```")) {
      inFence = !inFence;
      return "";
    }
    return inFence ? "" : line;
  });
})();

/** The lines under the heading `title` of `level`, up to the next heading of that level or above. */
function section(level: number, title: string): string[] {
  const start = PROSE_LINES.indexOf(`${"#".repeat(level)} ${title}`);
  assert.notEqual(start, -1, `docs/configuration.md has no heading "${title}"`);
  const higher = new RegExp(`^#{1,${level}} `);
  const end = PROSE_LINES.findIndex((line, i) => i > start && higher.test(line));
  return PROSE_LINES.slice(start + 1, end === -1 ? undefined : end);
}

/** Titles of the headings of `level` in `lines`. */
function headings(lines: readonly string[], level: number): string[] {
  const prefix = `${"#".repeat(level)} `;
  return lines.filter((line) => line.startsWith(prefix)).map((line) => line.slice(prefix.length));
}

/** Table rows in `lines` as cells, backticks kept; separator rows left out. */
function tableRows(lines: readonly string[]): string[][] {
  return lines
    .filter((line) => line.startsWith("|") && !/^\|[\s|:-]+\|$/.test(line))
    .map((line) => line.split("|").slice(1, -1).map((cell) => cell.trim()));
}

/** The table in `lines` whose header row is `header`, without that row. */
function tableWithHeader(lines: readonly string[], header: readonly string[]): string[][] {
  const rows = tableRows(lines);
  const at = rows.findIndex((row) => row.join("|") === header.join("|"));
  assert.notEqual(at, -1, `no table with header | ${header.join(" | ")} |`);
  const table: string[][] = [];
  for (const row of rows.slice(at + 1)) {
    if (row.length !== header.length) break;
    table.push(row);
  }
  return table;
}

/** The backticked codes of a cell: "`%p`, `%{local}p`" → ["%p", "%{local}p"]. */
function codes(cell: string): string[] {
  return [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
}

const sorted = (names: Iterable<string>) => [...names].sort();

Deno.test("docs/configuration.md has one heading per core directive, and no stale one", async (t) => {
  const groups = [
    { title: "Server-wide directives", directives: Object.values(SERVER_DIRECTIVES) },
    { title: "Per-host directives", directives: Object.values(HOST_DIRECTIVES) },
  ];
  for (const group of groups) {
    await t.step(group.title, () => {
      assert.deepEqual(
        sorted(headings(section(2, group.title), 3)),
        sorted(group.directives.map((d) => d.name)),
      );
    });
  }
});

const MPM_DIRECTIVE_NAMES = sorted(
  new Set(MPM_NAMES.flatMap((mpm) => MPM_DIRECTIVES[mpm].map((d) => d.name))),
);

Deno.test("docs/configuration.md shows every MPM directive with each MPM's default", () => {
  const table = tableWithHeader(section(2, "MPM sections"), ["Directive", ...MPM_NAMES]);
  const shown = new Map(table.map(([name = "", ...cells]) => [codes(name)[0] ?? name, cells]));
  assert.deepEqual(sorted(shown.keys()), MPM_DIRECTIVE_NAMES);
  for (const [name, cells] of shown) {
    const expected = MPM_NAMES.map((mpm) => {
      const directive = MPM_DIRECTIVES[mpm].find((d) => d.name === name);
      return directive === undefined ? "—" : String(directive.default);
    });
    assert.deepEqual(cells, expected, `row ${name}`);
  }
});

Deno.test("docs/configuration.md describes every MPM directive, and no stale one", () => {
  const table = tableWithHeader(section(2, "MPM sections"), ["Directive", "value", "meaning"]);
  assert.deepEqual(sorted(table.map(([name = ""]) => codes(name)[0] ?? name)), MPM_DIRECTIVE_NAMES);
});

Deno.test("docs/configuration.md names each MPM section", async (t) => {
  const mpmSection = section(2, "MPM sections").join("\n");
  for (const mpm of MPM_NAMES) {
    await t.step(mpm, () => {
      assert.ok(mpmSection.includes(`\`${mpm}:\``), `no \`${mpm}:\` in "MPM sections"`);
    });
  }
});

Deno.test("docs/configuration.md shows the embedded default configuration verbatim", () => {
  const yaml = defaultConfigYaml("<program directory>/examples/site");
  assert.ok(DOC.includes("```yaml\n" + yaml + "```\n"));
});

/** The directive of a LogFormat code, modifiers and argument removed: `%>s` → `s`. */
function directiveOf(code: string): string {
  return code.replace(/^%[!<>0-9,]*(\{[^}]*\})?/, "");
}

function compiles(format: string): boolean {
  try {
    compileLogFormat(format);
    return true;
  } catch {
    return false;
  }
}

const SUPPORTED_CODES = tableWithHeader(section(3, "Supported directives"), ["directive", "writes"])
  .flatMap(([cell = ""]) => codes(cell));
const REJECTED_CODES = tableWithHeader(section(3, "Rejected directives"), ["directive", "reason"])
  .flatMap(([cell = ""]) => codes(cell));

Deno.test("docs/configuration.md lists only LogFormat directives that compile", async (t) => {
  assert.ok(SUPPORTED_CODES.length > 0);
  for (const code of SUPPORTED_CODES) {
    await t.step(code, () => assert.ok(compiles(code), `${code} does not compile`));
  }
});

Deno.test("docs/configuration.md lists as rejected only what compileLogFormat() refuses as unsupported", async (t) => {
  assert.ok(REJECTED_CODES.length > 0);
  for (const code of REJECTED_CODES) {
    await t.step(code, () => {
      assert.throws(() => compileLogFormat(code), /unsupported directive/);
    });
  }
});

Deno.test("docs/configuration.md lists every LogFormat directive that compiles", () => {
  const documented = new Set(SUPPORTED_CODES.map(directiveOf));
  const letters = [..."abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"];
  const accepted = letters.filter((c) => compiles(`%${c}`) || compiles(`%{Name}${c}`));
  assert.deepEqual(accepted.filter((c) => !documented.has(c)), []);
});
