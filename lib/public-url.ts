import { BlockList, isIP } from 'node:net';

const loopback = new BlockList();
loopback.addSubnet('127.0.0.0', 8, 'ipv4');
loopback.addAddress('0.0.0.0', 'ipv4');
loopback.addAddress('::1', 'ipv6');
loopback.addAddress('::', 'ipv6');

function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '');
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  const family = isIP(host);
  if (family === 0) return false;
  // An IPv4-mapped IPv6 loopback (::ffff:127.0.0.1) is loopback too.
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(host)?.[1];
  if (mapped) return loopback.check(mapped, 'ipv4');
  return loopback.check(host, family === 4 ? 'ipv4' : 'ipv6');
}

/**
 * Why providers cannot safely call this service back at PUBLIC_URL, or null when they can: it must
 * be set (the fallback is this host's own loopback address), not loopback (from the provider's side
 * that is the provider itself), and https (a receipt URL carries its integration's secret).
 */
export function publicUrlProblem(publicUrl: string | undefined): string | null {
  if (!publicUrl) return 'is not set';
  let url: URL;
  try {
    url = new URL(publicUrl);
  } catch {
    return `"${publicUrl}" is not a URL`;
  }
  if (isLoopbackHost(url.hostname)) return `${url.origin} is a loopback address, which only this machine can reach`;
  if (url.protocol !== 'https:') return `${url.origin} is plain http, so the secret in each callback URL would cross the internet in clear`;
  return null;
}
