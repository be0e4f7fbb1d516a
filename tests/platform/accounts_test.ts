import assert from "node:assert/strict";
import { findGroup, findUser, groupsOf, parseGroups, parsePasswd } from "../../platform/mod.ts";

const PASSWD = `root:x:0:0:root:/root:/bin/bash
# a comment
www-data:x:33:33:www-data:/var/www:/usr/sbin/nologin
broken line
nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
bad-id:x:abc:1::/:/bin/sh
`;
const GROUP = `root:x:0:
adm:x:4:syslog,www-data
www-data:x:33:
staff:x:50:alice,www-data
nogroup:x:65534:
`;

Deno.test("parsePasswd skips comments and lines without numeric ids", () => {
  assert.deepEqual(parsePasswd(PASSWD).map((a) => a.name), ["root", "www-data", "nobody"]);
});

Deno.test("findUser: a name, a listed #id, an unlisted #id, an unknown name", () => {
  const accounts = parsePasswd(PASSWD);
  const cases: [string, ReturnType<typeof findUser>][] = [
    ["www-data", { name: "www-data", uid: 33, gid: 33 }],
    ["#65534", { name: "nobody", uid: 65534, gid: 65534 }],
    ["#1234", { name: "#1234", uid: 1234, gid: 1234 }],
    ["nosuch", null],
    ["#-1", null],
    ["#", null],
  ];
  for (const [name, want] of cases) assert.deepEqual(findUser(name, accounts), want, name);
});

Deno.test("findGroup: a name, any #id, an unknown name", () => {
  const groups = parseGroups(GROUP);
  const cases: [string, number | null][] = [
    ["www-data", 33],
    ["nogroup", 65534],
    ["#77", 77],
    ["wheel", null],
  ];
  for (const [name, want] of cases) assert.equal(findGroup(name, groups), want, name);
});

Deno.test("groupsOf: the Group first, then each group listing the user, once", () => {
  const groups = parseGroups(GROUP);
  const cases: [string, number, number[]][] = [
    ["www-data", 33, [33, 4, 50]],
    ["www-data", 50, [50, 4]],
    ["nobody", 65534, [65534]],
  ];
  for (const [user, gid, want] of cases) assert.deepEqual(groupsOf(user, gid, groups), want);
});
