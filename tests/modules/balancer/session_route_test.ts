import assert from "node:assert/strict";
import { sessionRoute } from "../../../modules/balancer/mod.ts";

const STICKY = { cookie: "JSESSIONID", urlParameter: "jsessionid" };

const CASES: {
  name: string;
  path?: string;
  query?: string;
  cookie?: string;
  separator?: string;
  route: string | null;
}[] = [
  { name: "no session", route: null },
  { name: "a cookie value.route", cookie: "JSESSIONID=abc123.node1", route: "node1" },
  {
    name: "the cookie among others, quoted",
    cookie: 'a=1; JSESSIONID="abc.node2"; b=2',
    route: "node2",
  },
  { name: "the route after the first separator", cookie: "JSESSIONID=a.b.c", route: "b.c" },
  { name: "a value without a route", cookie: "JSESSIONID=abc", route: null },
  { name: "a value ending in the separator", cookie: "JSESSIONID=abc.", route: null },
  { name: "another cookie's name is not the session's", cookie: "XJSESSIONID=a.n1", route: null },
  { name: "a path parameter", path: "/app;jsessionid=xyz.node3/page", route: "node3" },
  { name: "a query parameter", path: "/app", query: "x=1&jsessionid=xyz.node4", route: "node4" },
  {
    name: "the URL before the cookie",
    query: "jsessionid=xyz.fromurl",
    cookie: "JSESSIONID=abc.fromcookie",
    route: "fromurl",
  },
  {
    name: "another separator",
    cookie: "JSESSIONID=abc_n5",
    separator: "_",
    route: "n5",
  },
];

Deno.test("sessionRoute() finds the route as httpd's find_session_route does", async (t) => {
  for (const c of CASES) {
    await t.step(c.name, () => {
      const request = { path: c.path ?? "/", query: c.query ?? "", cookie: c.cookie };
      assert.equal(sessionRoute(request, STICKY, c.separator ?? "."), c.route);
    });
  }
});
