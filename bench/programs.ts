/**
 * The external programs the benchmark needs: finding them on PATH and reading their versions.
 *
 * @module
 */

/**
 * The version in a program's `-v`/`-V` output: the first non-empty line, without labels
 * ("nginx version:", "Server version:", "This is"), ab's revision keyword and wrk's
 * copyright notice.
 */
export function versionFromOutput(text: string): string {
  const line = text.split("\n").map((l) => l.trim()).find((l) => l !== "") ?? "unknown";
  return line.replace(/^[\w ]*version:\s*/i, "").replace(/^This is /, "")
    .replace(/\s+<\$Revision.*$/, "").replace(/\s+Copyright.*$/, "");
}

/** Runs a version command and extracts the version; "unknown" when it cannot run. */
export async function programVersion(command: readonly string[]): Promise<string> {
  const [program, ...args] = command;
  try {
    const output = await new Deno.Command(program!, {
      args,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
      signal: AbortSignal.timeout(15_000),
    }).output();
    const decoder = new TextDecoder();
    return versionFromOutput(decoder.decode(output.stdout) + decoder.decode(output.stderr));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return "unknown";
    throw error;
  }
}

/** Absolute path of `name` found on PATH (or `name` itself if it contains a "/"), or `null`. */
export async function findProgram(name: string): Promise<string | null> {
  const candidates = name.includes("/")
    ? [name]
    : (Deno.env.get("PATH") ?? "").split(":").filter((d) => d !== "").map((d) => `${d}/${name}`);
  for (const path of candidates) {
    try {
      const info = await Deno.stat(path);
      if (info.isFile && ((info.mode ?? 0o111) & 0o111) !== 0) return path;
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
  }
  return null;
}
