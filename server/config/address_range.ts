/**
 * Client address ranges, as an allow-list names them (`local`, `all`, `10.0.0.0/8`, `::1`):
 * parsed once when the config is read, matched per request by the modules that restrict
 * access. Pure.
 *
 * @module
 */

/** An address range: a network address and how many leading bits must match. */
export interface AddressRange {
  /** 4 (IPv4) or 6 (IPv6). */
  readonly family: 4 | 6;
  /** The address as 4 or 16 bytes. */
  readonly bytes: readonly number[];
  /** Prefix length: 0 matches every address of the family. */
  readonly prefix: number;
}

/**
 * What `local` means, as httpd's `Require local`: the loopback networks of both families
 * (an IPv4-mapped loopback address is matched as IPv4).
 */
export const LOCAL_RANGES = ["127.0.0.0/8", "::1/128"] as const;
/** What `all` means: every address of both families. */
export const ALL_RANGES = ["0.0.0.0/0", "::/0"] as const;

/**
 * Parses one allow-list word into canonical range texts (`local` and `all` expand to two),
 * or says why it is not one.
 */
export function parseAllowWord(word: string): readonly string[] | string {
  const lower = word.toLowerCase();
  if (lower === "local") return LOCAL_RANGES;
  if (lower === "all") return ALL_RANGES;
  const range = parseAddressRange(word);
  if (typeof range === "string") return range;
  return [formatAddressRange(range)];
}

/** Parses `a.b.c.d[/n]` or an IPv6 address `[/n]`, or says why it is not one. */
export function parseAddressRange(text: string): AddressRange | string {
  const slash = text.indexOf("/");
  const address = slash === -1 ? text : text.slice(0, slash);
  const bytes = parseAddress(address);
  if (bytes === null) {
    return `${JSON.stringify(text)} is not local, all, an IP address or a CIDR range`;
  }
  const family = bytes.length === 4 ? 4 : 6;
  const maxPrefix = bytes.length * 8;
  let prefix = maxPrefix;
  if (slash !== -1) {
    const written = text.slice(slash + 1);
    prefix = /^\d{1,3}$/.test(written) ? Number(written) : NaN;
    if (!(prefix <= maxPrefix)) {
      return `${JSON.stringify(text)} has prefix length ${
        JSON.stringify(written)
      } (0-${maxPrefix} for IPv${family})`;
    }
  }
  return { family, bytes: masked(bytes, prefix), prefix };
}

/** The canonical text of a range: `10.0.0.0/8`, `::1/128`. */
export function formatAddressRange(range: AddressRange): string {
  if (range.family === 4) return `${range.bytes.join(".")}/${range.prefix}`;
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) {
    groups.push(((range.bytes[i]! << 8) | range.bytes[i + 1]!).toString(16));
  }
  return `${canonicalIpv6(groups.join(":"))}/${range.prefix}`;
}

/**
 * Whether `address` (as a socket reports it, e.g. `127.0.0.1`, `::1`, `::ffff:10.1.2.3`) lies
 * in one of `ranges`. An address that does not parse matches nothing.
 */
export function isAddressAllowed(address: string, ranges: readonly AddressRange[]): boolean {
  let bytes = parseAddress(address);
  if (bytes === null) return false;
  // An IPv4 client on a dual-stack socket shows as ::ffff:a.b.c.d: match its IPv4 ranges.
  if (
    bytes.length === 16 && bytes.slice(0, 10).every((b) => b === 0) &&
    bytes[10] === 0xff && bytes[11] === 0xff
  ) {
    bytes = bytes.slice(12);
  }
  const family = bytes.length === 4 ? 4 : 6;
  return ranges.some((range) => range.family === family && sameNetwork(bytes!, range));
}

function sameNetwork(bytes: readonly number[], range: AddressRange): boolean {
  const ours = masked(bytes, range.prefix);
  return ours.every((byte, i) => byte === range.bytes[i]);
}

function masked(bytes: readonly number[], prefix: number): number[] {
  return bytes.map((byte, i) => {
    const bits = Math.max(0, Math.min(8, prefix - i * 8));
    return byte & (0xff << (8 - bits)) & 0xff;
  });
}

function parseAddress(text: string): number[] | null {
  if (!text.includes(":")) return parseIpv4(text);
  const canonical = canonicalIpv6(text);
  if (canonical === null) return null;
  // The canonical form has no dotted quad and at most one "::".
  const [head = "", tail] = canonical.split("::");
  const groupsOf = (part: string) => part === "" ? [] : part.split(":").map((g) => parseInt(g, 16));
  const headGroups = groupsOf(head);
  const tailGroups = tail === undefined ? [] : groupsOf(tail);
  const zeros = new Array<number>(8 - headGroups.length - tailGroups.length).fill(0);
  return [...headGroups, ...zeros, ...tailGroups].flatMap((group) => [group >> 8, group & 0xff]);
}

/** The bytes of a dotted-quad IPv4 address (`10.0.0.1`), or `null` if `text` is not one. */
export function parseIpv4(text: string): number[] | null {
  const parts = text.split(".");
  if (parts.length !== 4) return null;
  const bytes = parts.map((part) => /^\d{1,3}$/.test(part) ? Number(part) : NaN);
  return bytes.every((byte) => byte <= 255) ? bytes : null;
}

/**
 * An IPv6 address in its canonical text (RFC 5952: lower case, the longest run of zero groups
 * as `::`; `::0001` → `::1`), or `null` if `text` is not one. The URL parser validates and
 * normalises it without any I/O.
 */
export function canonicalIpv6(text: string): string | null {
  try {
    return new URL(`http://[${text}]/`).hostname.slice(1, -1);
  } catch (error) {
    if (error instanceof TypeError) return null;
    throw error;
  }
}
