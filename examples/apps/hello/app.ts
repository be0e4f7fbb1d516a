/**
 * The smallest app: the same module runs under `deno serve` and under mpmd.
 *
 * @module
 */

export default {
  fetch(): Response {
    return new Response("Hello, world\n", { headers: { "content-type": "text/plain" } });
  },
};
