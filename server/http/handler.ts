/**
 * The contract between the engine and modules.
 *
 * @module
 */

import type { ServerRequest } from "./server_request.ts";
import type { ServerResponse } from "./server_response.ts";

/**
 * Answers a request, or returns `null` to let the next handler try. Throwing an
 * `HttpError` yields that status; any other throw yields 500 and an error-log entry.
 */
export type Handler = (
  request: ServerRequest,
) => ServerResponse | null | Promise<ServerResponse | null>;
