/**
 * A child for the inheritance test: accepts one connection from the listening socket whose
 * number it is given (inherited from its parent), answers `pong <fd>`, and exits.
 */

import { SocketAcceptor, WOKEN } from "../../platform/mod.ts";

const fd = Number(Deno.args[0]);
const acceptor = await SocketAcceptor.open([fd], { onError: () => Deno.exit(3) });
const conn = await acceptor.next();
if (conn === null || conn === WOKEN) Deno.exit(2);
await conn.write(new TextEncoder().encode(`pong ${fd}`));
conn.close();
await acceptor.close();
