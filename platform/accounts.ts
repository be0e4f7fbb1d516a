/**
 * Users and groups as the system's files list them (`/etc/passwd`, `/etc/group`), for the User
 * and Group directives: a name or httpd's `#id` turned into ids. Only the files are read, as
 * containers have them; accounts that only NSS services (LDAP, systemd's dynamic users) know
 * are not found.
 *
 * @module
 */

/** A user account: its ids and name. */
export interface Account {
  /** The login name (`www-data`), or `#33` for an id the file does not list. */
  readonly name: string;
  /** The user id. */
  readonly uid: number;
  /** The primary group id. */
  readonly gid: number;
}

/** One group: its name, id and the users listed as its members. */
export interface GroupEntry {
  /** The group name. */
  readonly name: string;
  /** The group id. */
  readonly gid: number;
  /** The users named as members (not those whose primary group it is). */
  readonly members: readonly string[];
}

/** The accounts of a passwd file's text (`name:pw:uid:gid:gecos:home:shell`), bad lines skipped. */
export function parsePasswd(text: string): Account[] {
  const accounts: Account[] = [];
  for (const fields of entries(text)) {
    const uid = id(fields[2]);
    const gid = id(fields[3]);
    if (fields[0] && uid !== null && gid !== null) accounts.push({ name: fields[0], uid, gid });
  }
  return accounts;
}

/** The groups of a group file's text (`name:pw:gid:member,member`), bad lines skipped. */
export function parseGroups(text: string): GroupEntry[] {
  const groups: GroupEntry[] = [];
  for (const fields of entries(text)) {
    const gid = id(fields[2]);
    if (!fields[0] || gid === null) continue;
    const members = (fields[3] ?? "").split(",").filter((member) => member !== "");
    groups.push({ name: fields[0], gid, members });
  }
  return groups;
}

/**
 * Finds a user by name or `#uid` in `accounts`. An id the file does not list is still a user
 * (httpd takes any `#id`), with the id as its primary group.
 */
export function findUser(name: string, accounts: readonly Account[]): Account | null {
  const byId = id(name.startsWith("#") ? name.slice(1) : undefined);
  if (byId !== null) return accounts.find((a) => a.uid === byId) ?? { name, uid: byId, gid: byId };
  return accounts.find((a) => a.name === name) ?? null;
}

/** Finds a group's id by name or `#gid` in `groups`; any `#gid` is taken as it is. */
export function findGroup(name: string, groups: readonly GroupEntry[]): number | null {
  const byId = id(name.startsWith("#") ? name.slice(1) : undefined);
  if (byId !== null) return byId;
  return groups.find((g) => g.name === name)?.gid ?? null;
}

/**
 * The groups a process serving as `user` belongs to, as `initgroups()` gives them: `gid` (the
 * Group) first, then every group that lists the user as a member.
 */
export function groupsOf(user: string, gid: number, groups: readonly GroupEntry[]): number[] {
  const ids = [gid];
  for (const group of groups) {
    if (group.members.includes(user) && !ids.includes(group.gid)) ids.push(group.gid);
  }
  return ids;
}

/** Looks a user up in `/etc/passwd` by name or `#uid`. */
export function lookupUser(name: string): Account | null {
  return findUser(name, parsePasswd(readOrEmpty("/etc/passwd")));
}

/** Looks a group's id up in `/etc/group` by name or `#gid`. */
export function lookupGroup(name: string): number | null {
  return findGroup(name, parseGroups(readOrEmpty("/etc/group")));
}

/** The groups `/etc/group` gives `user` besides `gid` ({@link groupsOf}). */
export function lookupGroupsOf(user: string, gid: number): number[] {
  return groupsOf(user, gid, parseGroups(readOrEmpty("/etc/group")));
}

function* entries(text: string): Generator<string[]> {
  for (const line of text.split("\n")) {
    if (line.trim() === "" || line.startsWith("#")) continue;
    yield line.split(":");
  }
}

function id(text: string | undefined): number | null {
  if (text === undefined || !/^\d{1,10}$/.test(text)) return null;
  const n = Number(text);
  return n <= 0xfffffffe ? n : null;
}

// A system without the file has no accounts to find: the caller reports the name as unknown.
function readOrEmpty(path: string): string {
  try {
    return Deno.readTextFileSync(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return "";
    throw error;
  }
}
