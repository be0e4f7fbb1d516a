/**
 * MaxMemoryPerChild: a serving child whose resident memory passed the bound (a handler that
 * leaks or hoards) gets a successor, then finishes its requests and exits, freeing it all.
 *
 * @module
 */

import { readResidentBytes } from "../../platform/mod.ts";
import { formatSize } from "../../server/config/mod.ts";
import type { Logger } from "../../server/log/mod.ts";
import type { Child } from "./_child.ts";

/** Replaces, through `recycle`, each serving child of `children` that uses over `limitBytes`. */
export async function replaceOverMemory(
  children: Iterable<Child>,
  limitBytes: number,
  how: { readonly logger: Logger; readonly recycle: (child: Child) => void },
): Promise<void> {
  for (const child of children) {
    if (child.state !== "serving") continue;
    const resident = await readResidentBytes(child.pid);
    if (resident === null || resident <= limitBytes) continue;
    how.logger.warn(
      `child pid ${child.pid} uses ${formatSize(resident)} of memory (MaxMemoryPerChild ${
        formatSize(limitBytes)
      }): replacing it`,
    );
    how.recycle(child);
  }
}
