/** A default export without a fetch function. */
export default { handler: (): Response => new Response("never") };
