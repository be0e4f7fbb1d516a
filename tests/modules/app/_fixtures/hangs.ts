/** Never answers on `/hang`; on `/count` answers with the number of body bytes it read. */
export default {
  async fetch(request: Request): Promise<Response> {
    if (new URL(request.url).pathname.endsWith("/hang")) return await new Promise(() => {});
    let bytes = 0;
    for await (const chunk of request.body ?? []) bytes += chunk.length;
    return new Response(`${bytes}`);
  },
};
