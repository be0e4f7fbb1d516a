/**
 * What a slot writes into its scoreboard record about each request: the line, client and
 * host when it starts (with ExtendedStatus), and its bytes and duration when it ends. Shared by
 * the MPM's slots and `-X`'s single slot, so both record the same way.
 *
 * @module
 */

import type { ServerConfig } from "../../server/config/mod.ts";
import type { AccessRecord, ConnectionView } from "../../server/http/mod.ts";
import type { SlotWriter } from "../scoreboard/mod.ts";

/** The two moments of a request a slot records. */
export interface RequestRecorder {
  /** A request line has been read and its handler runs (the connection turned `busy`). */
  start(connection: Pick<ConnectionView, "requestLine" | "remote">): void;
  /** The exchange is over (the access log's moment). */
  end(access: AccessRecord): void;
}

/** Records into `record` the requests of a slot serving `config`. */
export function requestRecorder(record: SlotWriter, config: ServerConfig): RequestRecorder {
  const vhost = config.hosts[0].serverName;
  // Without ExtendedStatus a slot keeps its counts and times but not what it serves.
  const extended = config.extendedStatus;
  return {
    start(connection) {
      record.startRequest({
        line: extended ? connection.requestLine : "",
        client: extended ? connection.remote.hostname : "",
        vhost: extended ? vhost : "",
        nowMs: Date.now(),
      });
    },
    end(access) {
      record.endRequest({
        bytes: access.bodyBytes,
        durationMs: access.durationUs / 1000,
        nowMs: Date.now(),
      });
    },
  };
}
