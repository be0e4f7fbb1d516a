/**
 * A handler's answer as a response, whatever form it took: a thrown `HttpError` or crash
 * becomes its error page (logged as the engine logs it), no answer a 404, a `Response` handed
 * back whole its fields; a `101` that takes over the connection is handed on untouched, as its
 * fields belong to the new protocol's handshake. For the modules that work on every answer a host gives (Header,
 * ErrorDocument, ServerSignature): they see error pages too. And a host's own handling of its
 * failures, for a host that logs them elsewhere than the engine does.
 *
 * @module
 */

import {
  errorResponse,
  failureResponse,
  type FieldsResponse,
  fromResponse,
  type Handler,
  type ServerRequest,
  type ServerResponse,
} from "../server/http/mod.ts";
import { escapeLogItem, type Logger } from "../server/log/mod.ts";

/** The error page of a failure of `request`, logged to `logger` as the engine logs one. */
function failureOf(error: unknown, request: ServerRequest, logger: Logger): ServerResponse {
  return failureResponse(error, {
    request: `${request.method} ${escapeLogItem(request.target)}`,
    peer: request.remote.hostname,
    logger,
  });
}

/**
 * Calls `handler` and hands its answer, as fields, to `then` (a `101` goes back as it is);
 * synchronous answers stay synchronous.
 */
export function answerOf(
  handler: Handler,
  request: ServerRequest,
  logger: Logger,
  then: (response: FieldsResponse) => ServerResponse | Promise<ServerResponse>,
): ServerResponse | Promise<ServerResponse> {
  const fail = (error: unknown) => then(failureOf(error, request, logger) as FieldsResponse);
  const fields = (response: ServerResponse | null) =>
    response?.tunnel !== undefined ? response : then(
      response === null
        ? errorResponse(404) as FieldsResponse
        : response.web === undefined
        ? response
        : fromResponse(response.web),
    );
  let result: ReturnType<Handler>;
  try {
    result = handler(request);
  } catch (error) {
    return fail(error);
  }
  return result instanceof Promise ? result.then(fields, fail) : fields(result);
}

/**
 * `handler` whose failures (a thrown `HttpError`, a crash) become their error pages here,
 * logged to `logger`, rather than in the engine, which logs to the server's error log: for a
 * host with an error log of its own. Answers pass through untouched.
 */
export function withFailuresLoggedTo(handler: Handler, logger: Logger): Handler {
  return (request) => {
    const fail = (error: unknown) => failureOf(error, request, logger);
    try {
      const result = handler(request);
      return result instanceof Promise ? result.catch(fail) : result;
    } catch (error) {
      return fail(error);
    }
  };
}
