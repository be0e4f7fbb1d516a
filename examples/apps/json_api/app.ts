/**
 * A small JSON API: `POST /api/items` with a JSON body `{"name": "…"}` answers 201 with the
 * item, `GET /api/items` lists what this isolate has stored. Bad input gets 400 or 415.
 *
 * @module
 */

interface Item {
  readonly id: number;
  readonly name: string;
}

// Kept in the isolate: each slot (process or thread) has its own list.
const items: Item[] = [];

function problem(status: number, detail: string): Response {
  return Response.json({ error: detail }, { status });
}

async function create(request: Request): Promise<Response> {
  if (!request.headers.get("content-type")?.startsWith("application/json")) {
    return problem(415, "send application/json");
  }
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    return problem(400, "the body is not JSON");
  }
  const name = (body as { name?: unknown } | null)?.name;
  if (typeof name !== "string" || name === "") return problem(400, "name must be a string");
  const item = { id: items.length + 1, name };
  items.push(item);
  return Response.json(item, { status: 201 });
}

export default {
  fetch(request: Request): Response | Promise<Response> {
    const { pathname } = new URL(request.url);
    if (pathname !== "/api/items") return problem(404, "no such resource");
    if (request.method === "POST") return create(request);
    if (request.method === "GET") return Response.json(items);
    return problem(405, "GET or POST");
  },
};
