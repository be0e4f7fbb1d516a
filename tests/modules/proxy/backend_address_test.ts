import assert from "node:assert/strict";
import { backendAddress } from "../../../modules/proxy/mod.ts";

const CASES = [
  {
    url: "http://127.0.0.1:8080/",
    address: {
      prefix: "",
      host: "127.0.0.1:8080",
      hostname: "127.0.0.1",
      port: 8080,
      authority: "127.0.0.1:8080",
      name: "http://127.0.0.1:8080",
    },
  },
  {
    url: "http://app.test/base/",
    address: {
      prefix: "/base",
      host: "app.test",
      hostname: "app.test",
      port: 80,
      authority: "app.test:80",
      name: "http://app.test",
    },
  },
  {
    url: "http://[::1]:9000/api",
    address: {
      prefix: "/api",
      host: "[::1]:9000",
      hostname: "::1",
      port: 9000,
      authority: "::1:9000",
      name: "http://[::1]:9000",
    },
  },
];

Deno.test("backendAddress() takes a backend's base URL apart", async (t) => {
  for (const c of CASES) {
    await t.step(c.url, () => assert.deepEqual(backendAddress(new URL(c.url)), c.address));
  }
});

Deno.test("backendAddress() works an address out once per URL object", () => {
  const url = new URL("http://127.0.0.1:8080/");
  assert.equal(backendAddress(url), backendAddress(url));
});
