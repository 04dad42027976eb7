/*
 * Which addresses Hindsight may send to on a user's behalf (webhooks, Slack, trackers, SMTP).
 * An admin types the target, so without these rules a webhook could reach the cloud metadata
 * service or a database port inside the network (SSRF). The server applies them to every
 * address a name resolves to, at connect time; here they are pure and unit-tested.
 */

export interface IpAddress {
  family: 4 | 6;
  /** 4 bytes for IPv4, 16 for IPv6. */
  bytes: readonly number[];
}

export interface Cidr {
  base: IpAddress;
  prefix: number;
}

export type BlockedRange = 'loopback' | 'private' | 'link-local' | 'multicast' | 'unspecified' | 'reserved';

export interface OutboundPolicy {
  /** OUTBOUND_ALLOW_PRIVATE=true: every address is allowed. */
  allowPrivate: boolean;
  /** Host names (lower case, no trailing dot) allowed whatever they resolve to. */
  hosts: readonly string[];
  /** Address ranges allowed although private. */
  cidrs: readonly Cidr[];
}

export const OPEN_OUTBOUND_POLICY: OutboundPolicy = { allowPrivate: true, hosts: [], cidrs: [] };

function parseIpv4(text: string): number[] | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  const bytes = parts.map((p) => (/^(0|[1-9]\d{0,2})$/.test(p) ? Number(p) : NaN));
  return bytes.every((b) => b <= 255) ? bytes : null;
}

function parseIpv6(text: string): number[] | null {
  let t = text;
  // A trailing dotted quad (::ffff:127.0.0.1) stands for the last two groups.
  const lastColon = t.lastIndexOf(':');
  if (t.includes('.', lastColon)) {
    const v4 = parseIpv4(t.slice(lastColon + 1));
    if (!v4) return null;
    t = `${t.slice(0, lastColon + 1)}${((v4[0] << 8) | v4[1]).toString(16)}:${((v4[2] << 8) | v4[3]).toString(16)}`;
  }
  const halves = t.split('::');
  if (halves.length > 2) return null;
  const groups = (s: string): number[] | null => {
    if (s === '') return [];
    const out: number[] = [];
    for (const g of s.split(':')) {
      if (!/^[0-9a-f]{1,4}$/i.test(g)) return null;
      const n = parseInt(g, 16);
      out.push(n >> 8, n & 0xff);
    }
    return out;
  };
  const head = groups(halves[0]);
  const end = halves.length === 2 ? groups(halves[1]) : [];
  if (!head || !end) return null;
  if (halves.length === 1) return head.length === 16 ? head : null;
  if (head.length + end.length > 14) return null;
  return [...head, ...new Array<number>(16 - head.length - end.length).fill(0), ...end];
}

/** An IPv4 or IPv6 address (brackets allowed, zone ids not), or null for anything else. */
export function parseIpAddress(text: string): IpAddress | null {
  const t = text.trim().replace(/^\[(.*)\]$/, '$1');
  if (t.includes(':')) {
    const bytes = parseIpv6(t);
    return bytes ? { family: 6, bytes } : null;
  }
  const bytes = parseIpv4(t);
  return bytes ? { family: 4, bytes } : null;
}

function startsWith(bytes: readonly number[], prefix: readonly number[], bits: number): boolean {
  for (let i = 0; i < bits; i++) {
    const bit = (b: readonly number[]) => (b[i >> 3] >> (7 - (i & 7))) & 1;
    if (bit(bytes) !== bit(prefix)) return false;
  }
  return true;
}

/**
 * The IPv4 address an IPv6 one carries, when it is only a way of writing that IPv4 address:
 * IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d), NAT64 (64:ff9b::a.b.c.d) and
 * 6to4 (2002:aabb:ccdd::). Otherwise the address itself.
 */
export function embeddedIpv4(ip: IpAddress): IpAddress {
  if (ip.family === 4) return ip;
  const b = ip.bytes;
  const zeros = (from: number, to: number) => b.slice(from, to).every((x) => x === 0);
  if (zeros(0, 10) && b[10] === 0xff && b[11] === 0xff) return { family: 4, bytes: b.slice(12) };
  // ::a.b.c.d, but :: and ::1 are IPv6's own unspecified and loopback addresses.
  if (zeros(0, 12) && !zeros(12, 15)) return { family: 4, bytes: b.slice(12) };
  if (startsWith(b, [0x00, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0], 96)) return { family: 4, bytes: b.slice(12) };
  if (b[0] === 0x20 && b[1] === 0x02) return { family: 4, bytes: b.slice(2, 6) };
  return ip;
}

const V4_RANGES: [number[], number, BlockedRange][] = [
  [[0, 0, 0, 0], 8, 'unspecified'],
  [[10, 0, 0, 0], 8, 'private'],
  [[100, 64, 0, 0], 10, 'private'], // carrier-grade NAT (RFC 6598)
  [[127, 0, 0, 0], 8, 'loopback'],
  [[169, 254, 0, 0], 16, 'link-local'], // includes the cloud metadata service 169.254.169.254
  [[172, 16, 0, 0], 12, 'private'],
  [[192, 0, 0, 0], 24, 'reserved'],
  [[192, 168, 0, 0], 16, 'private'],
  [[198, 18, 0, 0], 15, 'reserved'],
  [[224, 0, 0, 0], 4, 'multicast'],
  [[240, 0, 0, 0], 4, 'reserved'], // and the broadcast address
];

const V6 = (hex: string): number[] => parseIpv6(hex) ?? [];
const V6_RANGES: [number[], number, BlockedRange][] = [
  [V6('::'), 128, 'unspecified'],
  [V6('::1'), 128, 'loopback'],
  [V6('100::'), 64, 'reserved'], // discard-only
  [V6('fc00::'), 7, 'private'], // unique local; includes fd00:ec2::254, a metadata service
  [V6('fe80::'), 10, 'link-local'],
  [V6('fec0::'), 10, 'private'], // the old site-local range
  [V6('ff00::'), 8, 'multicast'],
];

/** Why an address is not on the public internet, or null when it is. */
export function blockedRange(address: IpAddress): BlockedRange | null {
  const ip = embeddedIpv4(address);
  const ranges = ip.family === 4 ? V4_RANGES : V6_RANGES;
  return ranges.find(([base, bits]) => startsWith(ip.bytes, base, bits))?.[2] ?? null;
}

export function parseCidr(text: string): Cidr | null {
  const [addr, bits, extra] = text.trim().split('/');
  if (extra !== undefined) return null;
  const base = parseIpAddress(addr);
  if (!base) return null;
  const max = base.family === 4 ? 32 : 128;
  if (bits === undefined) return { base, prefix: max };
  if (!/^\d{1,3}$/.test(bits) || Number(bits) > max) return null;
  return { base, prefix: Number(bits) };
}

export function cidrContains(cidr: Cidr, address: IpAddress): boolean {
  // An IPv4 range also covers the IPv6 spellings of its addresses, and vice versa.
  let ip = cidr.base.family === address.family ? address : embeddedIpv4(address);
  if (ip.family === 4 && cidr.base.family === 6) ip = { family: 6, bytes: [...new Array<number>(10).fill(0), 0xff, 0xff, ...ip.bytes] };
  if (ip.family !== cidr.base.family) return false;
  return startsWith(ip.bytes, cidr.base.bytes, cidr.prefix);
}

export function normaliseHostName(host: string): string {
  return host.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '');
}

const HOST_NAME = /^(?=.{1,253}$)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)(\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*$/;

/**
 * OUTBOUND_ALLOWLIST: comma-separated host names and addresses or CIDR ranges
 * (`chat.corp.example, 10.20.0.0/16, fd12::/48`). Returns the entries and what was wrong.
 */
export function parseOutboundAllowlist(raw: string): { hosts: string[]; cidrs: Cidr[]; problems: string[] } {
  const hosts: string[] = [];
  const cidrs: Cidr[] = [];
  const problems: string[] = [];
  for (const entry of raw.split(',').map((e) => e.trim()).filter(Boolean)) {
    const looksLikeAddress = entry.includes('/') || entry.includes(':') || /^[\d.]+$/.test(entry);
    const cidr = looksLikeAddress ? parseCidr(entry) : null;
    const host = normaliseHostName(entry);
    if (cidr) cidrs.push(cidr);
    else if (!looksLikeAddress && HOST_NAME.test(host)) hosts.push(host);
    else problems.push(`"${entry}" is neither a host name nor an address or CIDR range (e.g. chat.corp.example, 10.20.0.0/16)`);
  }
  return { hosts, cidrs, problems };
}

const HOW_TO_ALLOW = 'add the host or its range to OUTBOUND_ALLOWLIST to allow it (see docs/security.md)';

/**
 * Null when a connection to `address` (what `host` resolved to) is allowed; otherwise why
 * not, in words an admin can act on.
 */
export function outboundRefusal(policy: OutboundPolicy, host: string, address: string): string | null {
  if (policy.allowPrivate) return null;
  const name = normaliseHostName(host);
  if (policy.hosts.includes(name)) return null;
  const ip = parseIpAddress(address);
  if (!ip) return `${address} is not an IP address`;
  if (policy.cidrs.some((c) => cidrContains(c, ip))) return null;
  const range = blockedRange(ip);
  if (!range) return null;
  const what = `${articled(range)} address${range === 'link-local' ? ' (the range of the cloud metadata service)' : ''}`;
  const subject = parseIpAddress(name) ? name : `${name} resolves to ${address}, which`;
  return `${subject} is ${what}; Hindsight does not send to loopback, private, link-local, multicast or reserved addresses: ${HOW_TO_ALLOW}`;
}

function articled(range: BlockedRange): string {
  return range === 'unspecified' ? 'an unspecified' : `a ${range}`;
}

/**
 * For a target being saved (a channel URL, a tracker's base URL): refuses what is private
 * whatever DNS says, an address literal or `localhost`. Names are checked when they are used.
 */
export function literalTargetRefusal(policy: OutboundPolicy, host: string): string | null {
  const name = normaliseHostName(host);
  if (parseIpAddress(name)) return outboundRefusal(policy, name, name);
  if (name === 'localhost' || name.endsWith('.localhost')) {
    if (policy.allowPrivate || policy.hosts.includes(name)) return null;
    return `${name} is a loopback address; Hindsight does not send to loopback, private, link-local, multicast or reserved addresses: ${HOW_TO_ALLOW}`;
  }
  return null;
}
