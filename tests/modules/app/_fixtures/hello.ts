/** Answers with what it saw: the URL, the client's address and its own `this`. */
export default {
  greeting: "hello",
  fetch(request: Request, info: { remoteAddr: Deno.NetAddr }): Response {
    return Response.json({
      greeting: this.greeting,
      url: request.url,
      method: request.method,
      remote: `${info.remoteAddr.hostname}:${info.remoteAddr.port}`,
    });
  },
};
