import type { LookupAddress } from 'node:dns';
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { ConfigError } from '../../lib/config';

/**
 * Where a connector may send an account's credentials. Each connector declares its provider's
 * hosts (https only); EGRESS_ALLOW adds hosts and address ranges the operator trusts (a provider's
 * on-premises host, the fakes of the tests). Every request is checked again after DNS resolution:
 * loopback, private and link-local addresses are refused unless EGRESS_ALLOW allows them, so a
 * base URL (or a DNS answer) cannot point the service at its own network.
 */

/** What EGRESS_ALLOW lets through besides the declared hosts. */
export interface EgressAllow {
  /** The entries as written (for messages). */
  entries: readonly string[];
  /** Host names and `*.` patterns, lower case: trusted wherever they resolve. */
  hosts: readonly string[];
  /** Addresses and CIDR ranges, IPv4 and IPv6. */
  ranges: BlockList;
}

/** The rule one HTTP client works under: its connector's hosts and the operator's allowances. */
export interface Egress {
  /** The connector's name, for messages. */
  name: string;
  /** Host names or `*.example.com` patterns the connector is made for. */
  hosts: readonly string[];
  allow: EgressAllow;
}

/** A request egress refuses: not retried, the account's base URL (or EGRESS_ALLOW) must change. */
export class EgressRefused extends Error {}

const HOST_PATTERN = /^(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/;

/** Parses EGRESS_ALLOW: comma-separated host names (`*.corp.example` too), addresses and CIDR ranges. */
export function parseEgressAllow(raw: string | undefined): { allow: EgressAllow; errors: string[] } {
  const entries: string[] = [];
  const hosts: string[] = [];
  const ranges = new BlockList();
  const errors: string[] = [];
  for (const entry of (raw ?? '').split(',').map((e) => e.trim().toLowerCase()).filter(Boolean)) {
    const [base = '', prefix, extra] = entry.replace(/^\[(.*)\]$/, '$1').split('/');
    const family = isIP(base);
    if (family !== 0 && extra === undefined) {
      const max = family === 4 ? 32 : 128;
      const bits = prefix === undefined ? max : /^\d{1,3}$/.test(prefix) ? Number(prefix) : NaN;
      if (!(bits >= 0 && bits <= max)) {
        errors.push(`"${entry}": the prefix length must be 0–${max}`);
        continue;
      }
      ranges.addSubnet(base, bits, family === 4 ? 'ipv4' : 'ipv6');
    } else if (prefix === undefined && HOST_PATTERN.test(entry)) {
      hosts.push(entry);
    } else {
      errors.push(`"${entry}" is neither a host name, an IP address nor a CIDR range`);
      continue;
    }
    entries.push(entry);
  }
  return { allow: { entries, hosts, ranges }, errors };
}

/** EGRESS_ALLOW at start: a bad entry stops the process, naming the variable and the entry. */
export function egressAllowFromConfig(config: { EGRESS_ALLOW?: string }): EgressAllow {
  const { allow, errors } = parseEgressAllow(config.EGRESS_ALLOW);
  if (errors.length > 0) throw new ConfigError(`Invalid configuration in the environment:\n  EGRESS_ALLOW: ${errors.join('; ')}`);
  return allow;
}

/** `*.example.com` matches any name under example.com (not example.com itself); anything else matches itself. */
export function hostMatches(pattern: string, host: string): boolean {
  return pattern.startsWith('*.') ? host.endsWith(pattern.slice(1)) && host.length > pattern.length - 1 : pattern === host;
}

/** A URL's host as DNS and address checks see it: lower case, IPv6 without brackets. */
export function hostOf(url: URL): string {
  return url.hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1');
}

const family = (address: string): 'ipv4' | 'ipv6' => (isIP(address) === 6 ? 'ipv6' : 'ipv4');

/** A host EGRESS_ALLOW names (a name or pattern), or an address in one of its ranges. */
function allowedByEnv(host: string, allow: EgressAllow): boolean {
  if (isIP(host)) return addressAllowed(host, allow);
  return allow.hosts.some((pattern) => hostMatches(pattern, host));
}

function addressAllowed(address: string, allow: EgressAllow): boolean {
  const v4 = embeddedIPv4(address);
  return allow.ranges.check(address, family(address)) || (v4 !== undefined && allow.ranges.check(v4, 'ipv4'));
}

/**
 * Why a URL may not be used for this connector, or undefined when it may: its host is declared by
 * the connector (https on the default port) or allowed by EGRESS_ALLOW (any scheme and port).
 */
export function egressRefusal(raw: string, egress: Egress): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return `"${raw}" is not a URL`;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return `${url.protocol} is not http(s)`;
  if (url.username || url.password) return 'the URL must not carry a user name or password (they go in credentials)';
  const host = hostOf(url);
  if (allowedByEnv(host, egress.allow)) return undefined;
  if (egress.hosts.some((pattern) => hostMatches(pattern, host))) {
    return url.protocol === 'https:' && url.port === '' ? undefined : `${egress.name} is reached over https on the default port only: use https://${host}`;
  }
  return `${host} is not a ${egress.name} host: allowed are ${allowedHosts(egress)}`;
}

/** The allowed hosts in words, for a 422 or an error. */
export function allowedHosts(egress: Egress): string {
  const declared = egress.hosts.map((h) => `https://${h}`).join(', ');
  return egress.allow.entries.length > 0 ? `${declared}, and by EGRESS_ALLOW ${egress.allow.entries.join(', ')}` : `${declared} (EGRESS_ALLOW on the server adds others)`;
}

type Restriction = 'unspecified' | 'loopback' | 'private' | 'link-local';

const RESTRICTED: Record<Restriction, { ipv4: [string, number][]; ipv6: [string, number][] }> = {
  unspecified: { ipv4: [['0.0.0.0', 8]], ipv6: [['::', 128]] },
  loopback: { ipv4: [['127.0.0.0', 8]], ipv6: [['::1', 128]] },
  // 100.64/10 is carrier-grade NAT space, where some clouds put their metadata service; fec0::/10 is the old site-local.
  private: { ipv4: [['10.0.0.0', 8], ['172.16.0.0', 12], ['192.168.0.0', 16], ['100.64.0.0', 10]], ipv6: [['fc00::', 7], ['fec0::', 10]] },
  'link-local': { ipv4: [['169.254.0.0', 16]], ipv6: [['fe80::', 10]] },
};
const restrictedLists = Object.entries(RESTRICTED).map(([kind, ranges]) => {
  const list = new BlockList();
  for (const [net, bits] of ranges.ipv4) list.addSubnet(net, bits, 'ipv4');
  for (const [net, bits] of ranges.ipv6) list.addSubnet(net, bits, 'ipv6');
  return { kind: kind as Restriction, list };
});

/**
 * The IPv4 address inside an IPv6 one that reaches it: IPv4-mapped (::ffff:a.b.c.d), the old
 * IPv4-compatible form (::a.b.c.d) and NAT64 (64:ff9b::a.b.c.d).
 */
export function embeddedIPv4(address: string): string | undefined {
  if (isIP(address) !== 6) return undefined;
  // The URL parser writes every IPv6 form the same way (lower case, zeros compressed, hex groups).
  const canonical = new URL(`http://[${address}]`).hostname.slice(1, -1);
  const m = /^(?:::ffff:|::|64:ff9b::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(canonical);
  if (!m) return undefined;
  const hi = parseInt(m[1]!, 16);
  const lo = parseInt(m[2]!, 16);
  return [hi >> 8, hi & 255, lo >> 8, lo & 255].join('.');
}

/** Which refused kind of address this is (loopback, private, link-local, unspecified), if any. */
export function restrictedKind(address: string): Restriction | undefined {
  const v4 = embeddedIPv4(address);
  for (const { kind, list } of restrictedLists) {
    if (list.check(address, family(address)) || (v4 !== undefined && list.check(v4, 'ipv4'))) return kind;
  }
  return undefined;
}

/**
 * The address filter: why a resolved address may not be connected to, or undefined when it may.
 * `trustedName` is a host EGRESS_ALLOW names: the operator vouched for wherever it resolves.
 */
export function addressRefusal(address: string, allow: EgressAllow, trustedName = false): string | undefined {
  const kind = restrictedKind(address);
  if (kind === undefined || trustedName || addressAllowed(address, allow)) return undefined;
  return `${address} is a ${kind} address (refused unless EGRESS_ALLOW allows it)`;
}

function resolvedRefusal(host: string, address: string, allow: EgressAllow, trustedName: boolean): string | undefined {
  const refused = addressRefusal(address, allow, trustedName);
  return refused && host !== address ? `${host} resolves to ${refused.replace(' is a ', ', a ')}` : refused;
}

const DOES_NOT_RESOLVE = new Set(['ENOTFOUND', 'ENODATA', 'EAI_NONAME', 'EAI_NODATA']);

/**
 * Checks a URL for the connector, resolves its host and checks every address it resolves to; the
 * request then connects to these addresses only (pinned), so a DNS answer that changes between
 * check and connect cannot reach anything unchecked. A name that does not exist is refused (the
 * base URL is wrong); a DNS server that does not answer is left to the caller as a network error.
 */
export async function resolveForEgress(url: URL, egress: Egress): Promise<LookupAddress[]> {
  const refusal = egressRefusal(url.href, egress);
  if (refusal) throw new EgressRefused(refusal);
  const host = hostOf(url);
  const ipFamily = isIP(host);
  let addresses: LookupAddress[];
  if (ipFamily !== 0) {
    addresses = [{ address: host, family: ipFamily }];
  } else {
    try {
      addresses = await lookup(host, { all: true, verbatim: true });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code && DOES_NOT_RESOLVE.has(code)) throw new EgressRefused(`${host} does not resolve (${code}): check the account's base URL`);
      throw e;
    }
    if (addresses.length === 0) throw new EgressRefused(`${host} does not resolve: check the account's base URL`);
  }
  const trusted = ipFamily === 0 && allowedByEnv(host, egress.allow);
  for (const { address } of addresses) {
    const refused = resolvedRefusal(host, address, egress.allow, trusted);
    if (refused) throw new EgressRefused(refused);
  }
  return addresses;
}

/** The rule for one connector's requests under the operator's EGRESS_ALLOW. */
export function egressFor(connector: { name: string; hosts: readonly string[] }, allow: EgressAllow): Egress {
  return { name: connector.name, hosts: connector.hosts, allow };
}

/** Whether two base URLs send requests to the same place (scheme, host and port): credentials may follow only then. */
export function sameOrigin(a: string, b: string): boolean {
  try {
    return new URL(a).origin === new URL(b).origin;
  } catch {
    return a === b;
  }
}
