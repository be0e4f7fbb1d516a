/**
 * Giving up root for the User and Group directives, as httpd's mod_unixd does in each child:
 * the groups first (`setgroups`, then `setgid`), the user last (`setuid`), because once the
 * user is changed the process may no longer change its groups. glibc applies each call to
 * every thread of the process, Deno's own included.
 *
 * @module
 */

import { check, libc } from "./_libc.ts";
import { lookupGroupsOf } from "./accounts.ts";

/** Who a process serves as after {@link dropPrivileges}. */
export interface ServeAs {
  /** The User's name as written (for its supplementary groups and for messages). */
  readonly user: string;
  /** The User's id. */
  readonly uid: number;
  /** The Group's id. */
  readonly gid: number;
}

/** Whether this process runs as root, the only case in which User and Group are applied. */
export function isRoot(): boolean {
  return Deno.uid() === 0;
}

/**
 * Makes this whole process serve as `who`: its groups become the Group and the groups that
 * list the User as a member, then its user ids (real, effective, saved) the User's, so that
 * root cannot be taken back.
 *
 * @throws {Error} naming the call that failed, with the OS's reason.
 */
export function dropPrivileges(who: ServeAs): void {
  const groups = lookupGroupsOf(who.user, who.gid);
  const list = new Uint32Array(groups);
  const c = libc();
  check("setgroups", c.setgroups(BigInt(groups.length), list));
  check("setgid", c.setgid(who.gid));
  check("setuid", c.setuid(who.uid));
  // setuid() leaves the saved id at 0 only when the caller was not root; say so if it did.
  if (Deno.uid() !== who.uid) throw new Error(`setuid: still uid ${Deno.uid()}`);
}
