import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/** Resolves a host name to every address it has (tests pass a table instead of DNS). */
export type Resolver = (host: string) => Promise<string[]>;

export const systemResolver: Resolver = async (host) => (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);

/** Loopback, private, link-local, shared, reserved and multicast ranges: never a court's public endpoint. */
const INTERNAL = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24], ['203.0.113.0', 24],
  ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) INTERNAL.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [
  ['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['fec0::', 10], ['ff00::', 8], ['2001:db8::', 32], ['100::', 64],
] as const) INTERNAL.addSubnet(net, bits, 'ipv6');

/** "10.0.0.0/8" or "fd00::/8"; null when it is not a CIDR. */
export function parseCidr(text: string): { address: string; bits: number; family: 'ipv4' | 'ipv6' } | null {
  const m = /^([^/\s]+)\/(\d{1,3})$/.exec(text.trim());
  if (!m) return null;
  const v = isIP(m[1]!);
  const bits = Number(m[2]);
  if (v === 0 || bits > (v === 4 ? 32 : 128)) return null;
  return { address: m[1]!, bits, family: v === 4 ? 'ipv4' : 'ipv6' };
}

export function allowList(cidrs: string[]): BlockList {
  const list = new BlockList();
  for (const c of cidrs) {
    const p = parseCidr(c);
    if (p) list.addSubnet(p.address, p.bits, p.family);
  }
  return list;
}

/** The IPv4 address inside an IPv4-mapped or -translated IPv6 address (::ffff:a.b.c.d, 64:ff9b::/96, 6to4), if any. */
function embeddedIPv4(address: string): string | null {
  const lower = address.toLowerCase();
  const dotted = /^(?:::ffff:|::ffff:0:|64:ff9b::|::)(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (dotted) return dotted[1]!;
  const hex = /^(?:::ffff:|64:ff9b::|::ffff:0:)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower);
  if (hex) {
    const hi = parseInt(hex[1]!, 16);
    const lo = parseInt(hex[2]!, 16);
    return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  }
  const sixToFour = /^2002:([0-9a-f]{1,4}):([0-9a-f]{1,4}):/.exec(lower);
  if (sixToFour) {
    const hi = parseInt(sixToFour[1]!, 16);
    const lo = parseInt(sixToFour[2]!, 16);
    return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  }
  return null;
}

function isAllowed(list: BlockList, address: string): boolean {
  const v4 = isIP(address) === 6 ? embeddedIPv4(address) : null;
  if (v4) return list.check(v4, 'ipv4');
  return list.check(address, isIP(address) === 4 ? 'ipv4' : 'ipv6');
}

function isInternal(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return INTERNAL.check(address, 'ipv4');
  if (family !== 6) return true;
  const v4 = embeddedIPv4(address);
  if (v4) return INTERNAL.check(v4, 'ipv4');
  return INTERNAL.check(address, 'ipv6');
}

export interface WebhookUrlPolicy {
  production: boolean;
  allowedNetworks: string[];
  resolve?: Resolver;
}

export type WebhookUrlCheck = { ok: true; addresses: string[] } | { ok: false; reason: string };

/**
 * Whether a webhook may be sent to this URL now: decided on the addresses the host resolves to
 * (so integer, octal, hex and IPv4-mapped spellings and DNS names pointing inside all count), at
 * creation and again at every delivery. Loopback, private, link-local and other internal ranges
 * are refused unless every address lies in an operator's allow-listed network; production needs
 * https except for allow-listed networks.
 */
export async function checkWebhookUrl(raw: string, policy: WebhookUrlPolicy): Promise<WebhookUrlCheck> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: 'is not a valid URL' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { ok: false, reason: 'must be http(s)' };
  if (url.username || url.password) return { ok: false, reason: 'must not carry credentials' };
  // WHATWG URL has already turned 2130706433, 0177.0.0.1 and 0x7f.1 into 127.0.0.1.
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  if (isIP(host)) addresses = [host];
  else {
    try {
      addresses = await (policy.resolve ?? systemResolver)(host);
    } catch {
      return { ok: false, reason: 'host name does not resolve' };
    }
    if (addresses.length === 0) return { ok: false, reason: 'host name does not resolve' };
  }
  const allowed = allowList(policy.allowedNetworks);
  const inside = addresses.find((a) => isInternal(a) && !isAllowed(allowed, a));
  if (inside) return { ok: false, reason: `resolves to an internal address (${inside}); allow its network in WEBHOOK_ALLOWED_NETWORKS` };
  const allAllowed = addresses.every((a) => isAllowed(allowed, a));
  if (!allAllowed && policy.production && url.protocol !== 'https:') return { ok: false, reason: 'must use https' };
  return { ok: true, addresses };
}
