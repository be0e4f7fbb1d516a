/** Reads a JSON body and answers it back inside `{ echo }`, with status 201. */
export default {
  async fetch(request: Request): Promise<Response> {
    const body: unknown = await request.json();
    return Response.json({ echo: body }, { status: 201, headers: { "x-app": "echo" } });
  },
};
