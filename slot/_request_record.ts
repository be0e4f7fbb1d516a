/**
 * What a slot writes into its scoreboard record about each request: the line, client and
 * host when it starts (with ExtendedStatus), and its bytes and duration when it ends. Shared by
 * the MPM's slots and `-X`'s single slot, so both record the same way.
 *
 * @module
 */

import type { ServerConfig } from "../server/config/mod.ts";
import type { ConnectionView } from "../server/http/mod.ts";
import type { SlotWriter } from "../scoreboard/mod.ts";
import type { AccessRecord } from "../server/log/mod.ts";
import { VirtualHostTable } from "./virtual_hosts.ts";

/** The two moments of a request a slot records. */
export interface RequestRecorder {
  /**
   * A request line has been read and its handler runs (the connection turned `busy`); at
   * `startedAt` (ms since the epoch) when the engine knows it already, else now.
   */
  start(request: RequestStart): void;
  /** The exchange is over (the access log's moment). */
  end(access: AccessRecord): void;
}

/** What {@link RequestRecorder.start} reads of a request: a connection view, or an exchange. */
export type RequestStart =
  & Pick<ConnectionView, "requestLine" | "remote" | "local" | "host">
  & { readonly startedAt?: number };

/**
 * Records into `record` the requests of a slot serving `config`. An exchange ends at its
 * start plus its duration: the clock is read by the engine, not again here (a clock read costs
 * more than the rest of the record on some virtual machines, measured).
 */
export function requestRecorder(record: SlotWriter, config: ServerConfig): RequestRecorder {
  const hosts = new VirtualHostTable(config.hosts);
  // Without ExtendedStatus a slot keeps its counts and times but not what it serves.
  const extended = config.extendedStatus;
  return {
    start(request) {
      record.startRequest({
        line: extended ? request.requestLine : "",
        client: extended ? request.remote.hostname : "",
        vhost: extended ? hosts.hostOf(request.local, request.host).serverName : "",
        nowMs: request.startedAt ?? Date.now(),
      });
    },
    end(access) {
      const durationMs = access.durationUs / 1000;
      record.endRequest({
        bytes: access.bodyBytes,
        durationMs,
        nowMs: access.startedAt + durationMs,
        method: access.method,
        status: access.status,
        protocol: access.protocol,
      });
    },
  };
}
