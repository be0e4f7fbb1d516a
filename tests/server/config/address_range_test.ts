import assert from "node:assert/strict";
import {
  type AddressRange,
  formatAddressRange,
  isAddressAllowed,
  parseAddressRange,
  parseAllowWord,
} from "../../../server/config/mod.ts";

Deno.test("parseAllowWord() gives canonical ranges, or why a word is none", async (t) => {
  const CASES: { word: string; want: readonly string[] | RegExp }[] = [
    { word: "local", want: ["127.0.0.0/8", "::1/128"] },
    { word: "LOCAL", want: ["127.0.0.0/8", "::1/128"] },
    { word: "all", want: ["0.0.0.0/0", "::/0"] },
    { word: "10.1.2.3", want: ["10.1.2.3/32"] },
    { word: "10.1.2.3/8", want: ["10.0.0.0/8"] },
    { word: "192.168.7.9/20", want: ["192.168.0.0/20"] },
    { word: "::1", want: ["::1/128"] },
    { word: "2001:DB8::1/32", want: ["2001:db8::/32"] },
    { word: "fe80:0:0:0:1:0:0:1", want: ["fe80::1:0:0:1/128"] },
    { word: "::ffff:10.0.0.1", want: ["::ffff:a00:1/128"] },
    { word: "1:0:0:2:0:0:0:3", want: ["1:0:0:2::3/128"] },
    { word: "example.com", want: /"example.com" is not local, all, an IP address or a CIDR range/ },
    { word: "10.0.0.256", want: /is not local, all/ },
    { word: "10.0.0", want: /is not local, all/ },
    { word: "1::2::3", want: /is not local, all/ },
    { word: "1:2:3:4:5:6:7:8:9", want: /is not local, all/ },
    { word: "10.0.0.0/33", want: /"10.0.0.0\/33" has prefix length "33" \(0-32 for IPv4\)/ },
    { word: "::/129", want: /\(0-128 for IPv6\)/ },
    { word: "10.0.0.0/x", want: /prefix length "x"/ },
  ];
  for (const c of CASES) {
    await t.step(c.word, () => {
      const got = parseAllowWord(c.word);
      if (c.want instanceof RegExp) assert.match(got as string, c.want);
      else assert.deepEqual(got, c.want);
    });
  }
});

Deno.test("isAddressAllowed() matches a client address against ranges", async (t) => {
  const ranges = (...texts: string[]) =>
    texts.map((text) => parseAddressRange(text) as AddressRange);
  const CASES = [
    { address: "127.0.0.1", allow: ranges("127.0.0.0/8", "::1/128"), want: true },
    { address: "127.200.0.9", allow: ranges("127.0.0.0/8"), want: true },
    { address: "::1", allow: ranges("127.0.0.0/8", "::1/128"), want: true },
    { address: "::ffff:127.0.0.1", allow: ranges("127.0.0.0/8"), want: true },
    { address: "10.0.0.1", allow: ranges("127.0.0.0/8", "::1/128"), want: false },
    { address: "127.0.0.1", allow: ranges("10.0.0.0/8"), want: false },
    { address: "127.0.0.1", allow: ranges("::1/128"), want: false },
    { address: "2001:db8::5", allow: ranges("2001:db8::/32"), want: true },
    { address: "2001:db9::5", allow: ranges("2001:db8::/32"), want: false },
    { address: "203.0.113.9", allow: ranges("0.0.0.0/0"), want: true },
    { address: "not an address", allow: ranges("0.0.0.0/0", "::/0"), want: false },
  ];
  for (const c of CASES) {
    await t.step(`${c.address} in ${c.allow.map(formatAddressRange).join(" ")}`, () => {
      assert.equal(isAddressAllowed(c.address, c.allow), c.want);
    });
  }
});
