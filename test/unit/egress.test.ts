import { addressRefusal, egressAllowFromConfig, egressRefusal, embeddedIPv4, hostMatches, parseEgressAllow, resolveForEgress, restrictedKind, type Egress } from '../../connectors/kit/egress';
import { cut, headerSecrets, redact } from '../../connectors/kit/redact';
import { connectors } from '../../connectors/registry';
import { ConfigError, loadConfig } from '../../lib/config';

/**
 * The egress policy without any request: addresses are classified and EGRESS_ALLOW parsed as data.
 * Private and link-local ranges are only ever checked here, never connected to.
 */

const allow = (raw: string) => {
  const parsed = parseEgressAllow(raw);
  expect(parsed.errors).toEqual([]);
  return parsed.allow;
};
const NOTHING = allow('');

describe('the address filter', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['::1', 'loopback'],
    ['0:0:0:0:0:0:0:1', 'loopback'],
    ['10.0.0.1', 'private'],
    ['10.255.255.255', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.10', 'private'],
    ['100.100.100.200', 'private'],
    ['fc00::1', 'private'],
    ['fd12:3456::1', 'private'],
    ['169.254.169.254', 'link-local'],
    ['fe80::1', 'link-local'],
    ['febf::1', 'link-local'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    // IPv4-mapped, IPv4-compatible and NAT64 forms reach the IPv4 address inside them.
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:169.254.169.254', 'link-local'],
    ['::ffff:a9fe:a9fe', 'link-local'],
    ['::ffff:10.1.2.3', 'private'],
    ['::ffff:192.168.0.1', 'private'],
    ['::ffff:0.0.0.0', 'unspecified'],
    ['::127.0.0.1', 'loopback'],
    ['64:ff9b::169.254.169.254', 'link-local'],
  ])('refuses %s (%s)', (address, kind) => {
    expect(restrictedKind(address)).toBe(kind);
    expect(addressRefusal(address, NOTHING)).toMatch(new RegExp(`${address.replace(/[.:]/g, '\\$&')} is a ${kind} address`));
  });

  it.each(['93.184.216.34', '8.8.8.8', '172.32.0.1', '172.15.255.255', '192.169.0.1', '100.128.0.1', '169.255.0.1', '2606:4700::1111', '::ffff:8.8.8.8', '2001:db8::1'])('lets the public address %s through', (address) => {
    expect(restrictedKind(address)).toBeUndefined();
    expect(addressRefusal(address, NOTHING)).toBeUndefined();
  });

  it('reads the IPv4 address inside IPv6 forms, and nothing from plain IPv6', () => {
    expect(embeddedIPv4('::ffff:127.0.0.1')).toBe('127.0.0.1');
    expect(embeddedIPv4('::FFFF:A9FE:A9FE')).toBe('169.254.169.254');
    expect(embeddedIPv4('64:ff9b::a00:1')).toBe('10.0.0.1');
    expect(embeddedIPv4('2001:db8::1')).toBeUndefined();
    expect(embeddedIPv4('::1')).toBeUndefined();
    expect(embeddedIPv4('127.0.0.1')).toBeUndefined();
  });

  it('lets through what EGRESS_ALLOW allows: an address, a range, IPv6, the mapped form of an allowed address, a trusted name', () => {
    const loopback = allow('127.0.0.1');
    expect(addressRefusal('127.0.0.1', loopback)).toBeUndefined();
    expect(addressRefusal('::ffff:127.0.0.1', loopback)).toBeUndefined();
    expect(addressRefusal('127.0.0.2', loopback)).toMatch(/loopback/);
    expect(addressRefusal('::1', loopback)).toMatch(/loopback/);

    const office = allow('10.20.0.0/16, fd00::/8');
    expect(addressRefusal('10.20.3.4', office)).toBeUndefined();
    expect(addressRefusal('10.21.0.1', office)).toMatch(/private/);
    expect(addressRefusal('fd00::5', office)).toBeUndefined();
    expect(addressRefusal('fc00::5', office)).toMatch(/private/);
    expect(addressRefusal('169.254.169.254', office)).toMatch(/link-local/);

    // A host name the operator listed is trusted wherever it resolves.
    expect(addressRefusal('10.9.9.9', NOTHING, true)).toBeUndefined();
  });
});

describe('EGRESS_ALLOW', () => {
  it('is empty by default, and empty allows nothing private', () => {
    const config = loadConfig({ API_TOKEN: 'x'.repeat(16), DATABASE_URL: 'postgres://db/app', ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 1).toString('base64')}` });
    expect(config.EGRESS_ALLOW).toBe('');
    const parsed = egressAllowFromConfig(config);
    expect(parsed.entries).toEqual([]);
    expect(addressRefusal('127.0.0.1', parsed)).toMatch(/loopback/);
  });

  it('takes host names, patterns, addresses and CIDR ranges of both families, trimmed and lower-cased', () => {
    const parsed = allow(' 127.0.0.1 , LocalHost,*.Corp.Example, 10.0.0.0/8, [::1], fd00::/8 ,,');
    expect(parsed.entries).toEqual(['127.0.0.1', 'localhost', '*.corp.example', '10.0.0.0/8', '[::1]', 'fd00::/8']);
    expect(parsed.hosts).toEqual(['localhost', '*.corp.example']);
    expect(parsed.ranges.check('10.200.0.1', 'ipv4')).toBe(true);
    expect(parsed.ranges.check('::1', 'ipv6')).toBe(true);
    expect(parsed.ranges.check('fd00::9', 'ipv6')).toBe(true);
  });

  it('refuses entries it cannot read, naming the variable and each entry', () => {
    expect(parseEgressAllow('10.0.0.0/33,fd00::/129,bad host!,10.0.0.1/8/2,-x.example').errors).toEqual([
      '"10.0.0.0/33": the prefix length must be 0–32',
      '"fd00::/129": the prefix length must be 0–128',
      '"bad host!" is neither a host name, an IP address nor a CIDR range',
      '"10.0.0.1/8/2" is neither a host name, an IP address nor a CIDR range',
      '"-x.example" is neither a host name, an IP address nor a CIDR range',
    ]);
    expect(() => egressAllowFromConfig({ EGRESS_ALLOW: 'ok.example,what?' })).toThrow(ConfigError);
    expect(() => egressAllowFromConfig({ EGRESS_ALLOW: 'ok.example,what?' })).toThrow(/EGRESS_ALLOW: "what\?"/);
  });

  it('matches a *. pattern on names under it only', () => {
    expect(hostMatches('*.worksection.com', 'acme.worksection.com')).toBe(true);
    expect(hostMatches('*.worksection.com', 'a.b.worksection.com')).toBe(true);
    expect(hostMatches('*.worksection.com', 'worksection.com')).toBe(false);
    expect(hostMatches('*.worksection.com', 'evilworksection.com')).toBe(false);
    expect(hostMatches('*.worksection.com', 'acme.worksection.com.evil.example')).toBe(false);
    expect(hostMatches('api.unas.eu', 'api.unas.eu')).toBe(true);
    expect(hostMatches('api.unas.eu', 'xapi.unas.eu')).toBe(false);
  });
});

describe('a base URL for a connector', () => {
  const egress = (system: keyof typeof connectors, raw = ''): Egress => ({ name: connectors[system].name, hosts: connectors[system].hosts, allow: allow(raw) });

  it("allows every connector's default base URL with nothing in EGRESS_ALLOW", () => {
    for (const connector of Object.values(connectors)) {
      expect(connector.hosts.length).toBeGreaterThan(0);
      expect(egressRefusal(connector.defaultBaseUrl, { name: connector.name, hosts: connector.hosts, allow: NOTHING })).toBeUndefined();
    }
  });

  it('allows declared hosts over https on the default port only', () => {
    expect(egressRefusal('https://sms.us.8x8.com', egress('8x8'))).toBeUndefined();
    expect(egressRefusal('https://SMS.8x8.UK/', egress('8x8'))).toBeUndefined();
    expect(egressRefusal('https://acme.worksection.com', egress('worksection'))).toBeUndefined();
    expect(egressRefusal('http://sms.8x8.com', egress('8x8'))).toMatch(/https/);
    expect(egressRefusal('https://sms.8x8.com:8443', egress('8x8'))).toMatch(/default port/);
  });

  it('refuses any other host, naming the allowed ones', () => {
    const refused = egressRefusal('https://collector.example', egress('8x8'));
    expect(refused).toMatch(/collector\.example is not a 8x8 SMS host/);
    expect(refused).toMatch(/https:\/\/sms\.8x8\.com, https:\/\/sms\.us\.8x8\.com, https:\/\/sms\.8x8\.uk, https:\/\/sms\.8x8\.id/);
    expect(egressRefusal('https://acme.worksection.com.evil.example', egress('worksection'))).toMatch(/not a Worksection host.*\*\.worksection\.com/);
    for (const internal of ['http://127.0.0.1:7233', 'http://localhost:8233', 'http://169.254.169.254/latest/meta-data', 'http://[::1]:5432', 'http://[::ffff:127.0.0.1]/', 'http://2130706433/', 'http://10.0.0.1']) {
      expect(egressRefusal(internal, egress('unas'))).toMatch(/is not a UNAS host/);
    }
    expect(egressRefusal('https://user:pass@api.unas.eu/shop', egress('unas'))).toMatch(/user name or password/);
    expect(egressRefusal('ftp://api.unas.eu', egress('unas'))).toMatch(/not http/);
  });

  it('allows what EGRESS_ALLOW lists, over http and on any port', () => {
    expect(egressRefusal('http://127.0.0.1:7233', egress('unas', '127.0.0.1'))).toBeUndefined();
    expect(egressRefusal('http://[::ffff:127.0.0.1]:80', egress('unas', '127.0.0.1'))).toBeUndefined();
    expect(egressRefusal('http://127.0.0.2:80', egress('unas', '127.0.0.1'))).toMatch(/not a UNAS host.*EGRESS_ALLOW 127\.0\.0\.1/);
    expect(egressRefusal('http://crm.corp.example:8080', egress('minicrm', '*.corp.example'))).toBeUndefined();
    expect(egressRefusal('http://10.20.1.1', egress('minicrm', '10.20.0.0/16'))).toBeUndefined();
  });
});

describe('resolution', () => {
  // A connector that declares "localhost": its name passes the host check, so the address filter decides.
  const declaresLocalhost = (raw = ''): Egress => ({ name: 'Local', hosts: ['localhost'], allow: allow(raw) });

  it('checks every address a declared name resolves to, after resolving it (localhost: /etc/hosts, no request)', async () => {
    await expect(resolveForEgress(new URL('https://localhost'), declaresLocalhost())).rejects.toThrow(/localhost resolves to (127\.0\.0\.1|::1), a loopback address \(refused unless EGRESS_ALLOW allows it\)/);
    const addresses = await resolveForEgress(new URL('https://localhost'), declaresLocalhost('127.0.0.1,::1'));
    expect(addresses.map((a) => a.address)).toContain('127.0.0.1');
  });

  it('refuses an address literal in a refused range without resolving anything', async () => {
    await expect(resolveForEgress(new URL('http://127.0.0.1:1'), { ...declaresLocalhost(), hosts: ['127.0.0.1'] })).rejects.toThrow(/https/);
    await expect(resolveForEgress(new URL('https://127.0.0.1'), { ...declaresLocalhost(), hosts: ['127.0.0.1'] })).rejects.toThrow(/127\.0\.0\.1 is a loopback address/);
  });

  it('says a name that does not exist does not resolve (the reserved .invalid TLD)', async () => {
    await expect(resolveForEgress(new URL('http://nowhere.invalid'), declaresLocalhost('nowhere.invalid'))).rejects.toThrow(/nowhere\.invalid does not resolve/);
  });
});

describe('what users see of an answer', () => {
  it('is cut to 300 characters', () => {
    expect(cut('x'.repeat(299))).toHaveLength(299);
    expect(cut('x'.repeat(1_000))).toHaveLength(300);
    expect(cut('x'.repeat(1_000)).endsWith('…')).toBe(true);
  });

  it('loses the whole authorization header, so a Basic header (base64 of user:key) is scrubbed too', () => {
    const basic = `Basic ${Buffer.from('me@example.com:the-api-key-123').toString('base64')}`;
    const secrets = headerSecrets({ Authorization: basic, Accept: 'application/json', 'x-goog-api-key': 'AIza-key-9876' });
    expect(redact(`you sent ${basic} and AIza-key-9876`, secrets)).toBe('you sent [redacted] and [redacted]');
    expect(secrets).not.toContain('application/json');
  });
});
