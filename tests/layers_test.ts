/**
 * The layer order README.md lists, checked on every import of every source file: a file imports
 * only from its own layer or the layers below it, and every source file belongs to a layer.
 */

import assert from "node:assert/strict";
import { dirname, join, normalize, relative } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
/** Tools and tests stand outside the server's layers. */
const OUTSIDE = ["tests/", "bench/", "build/", "examples/"];

/** README's numbered layout list, top layer first: each item's backquoted paths. */
function layers(): string[][] {
  const readme = Deno.readTextFileSync(join(ROOT, "README.md"));
  const section = /## Layout\n([\s\S]*?)\n## /.exec(readme + "\n## ")?.[1] ?? "";
  return [...section.matchAll(/^\d+\. (.*(?:\n {3,}.*)*)/gm)].map((item) =>
    [...item[1]!.split(" — ")[0]!.matchAll(/`([^`]+)`/g)].map((path) => path[1]!)
  );
}

function sourceFiles(dir = ""): string[] {
  const files: string[] = [];
  for (const entry of Deno.readDirSync(join(ROOT, dir))) {
    const path = dir === "" ? entry.name : `${dir}/${entry.name}`;
    if (entry.name.startsWith(".") || OUTSIDE.some((outside) => `${path}/`.startsWith(outside))) {
      continue;
    }
    if (entry.isDirectory) files.push(...sourceFiles(path));
    else if (path.endsWith(".ts")) files.push(path);
  }
  return files;
}

/** The relative imports of a file, comments (and the examples in them) left out. */
function importsOf(path: string): string[] {
  const code = Deno.readTextFileSync(join(ROOT, path))
    .replace(/\/\*[\s\S]*?\*\//g, "")
    .replace(/^\s*\/\/.*$/gm, "");
  const specifiers = code.matchAll(/(?:from\s+|import\s*\(\s*|new URL\(\s*)"(\.\.?\/[^"]+)"/g);
  return [...specifiers].map((m) => normalize(join(dirname(path), m[1]!)));
}

Deno.test("every import runs down README.md's layer order", () => {
  const order = layers();
  assert.ok(order.length >= 10, `README.md lists the layers (found ${order.length})`);
  const layerOf = (path: string): number => {
    let best = -1;
    let bestLength = -1;
    order.forEach((paths, index) => {
      for (const prefix of paths) {
        const matches = prefix.endsWith("/") ? path.startsWith(prefix) : path === prefix;
        if (matches && prefix.length > bestLength) [best, bestLength] = [index, prefix.length];
      }
    });
    return best;
  };
  const homeless: string[] = [];
  const upward: string[] = [];
  for (const file of sourceFiles()) {
    const from = layerOf(file);
    if (from === -1) {
      homeless.push(file);
      continue;
    }
    for (const target of importsOf(file)) {
      const to = layerOf(relative(ROOT, join(ROOT, target)));
      if (to !== -1 && to < from) {
        upward.push(`${file} (${order[from]!.join(", ")}) -> ${target} (${order[to]!.join(", ")})`);
      }
    }
  }
  assert.deepEqual(homeless, [], "every source file is in a layer");
  assert.deepEqual(upward, [], "no import runs up the layers");
});
