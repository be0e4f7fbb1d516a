/** Throws on `/boom`; returns something that is not a Response on `/wrong`. */
export default {
  fetch(request: Request): Response {
    const path = new URL(request.url).pathname;
    if (path.endsWith("/wrong")) return "not a response" as unknown as Response;
    throw new Error(`app failure at ${path}`);
  },
};
