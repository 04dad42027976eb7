import {
  blockedRange,
  cidrContains,
  literalTargetRefusal,
  OutboundPolicy,
  outboundRefusal,
  parseCidr,
  parseIpAddress,
  parseOutboundAllowlist,
} from './outbound-address.rules';

const closed: OutboundPolicy = { allowPrivate: false, hosts: [], cidrs: [] };
const ip = (t: string) => {
  const a = parseIpAddress(t);
  if (!a) throw new Error(`not an address: ${t}`);
  return a;
};
const range = (t: string) => blockedRange(ip(t));

describe('parseIpAddress', () => {
  it('reads IPv4 and IPv6, with or without brackets', () => {
    expect(ip('10.0.0.1')).toEqual({ family: 4, bytes: [10, 0, 0, 1] });
    expect(ip('[::1]').bytes).toEqual([...new Array(15).fill(0), 1]);
    expect(ip('fe80::1:2').bytes.slice(0, 2)).toEqual([0xfe, 0x80]);
    expect(ip('1:2:3:4:5:6:7:8').bytes).toEqual([0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 8]);
    expect(ip('::ffff:127.0.0.1').bytes.slice(10)).toEqual([0xff, 0xff, 127, 0, 0, 1]);
    expect(ip('1:2:3:4:5:6:1.2.3.4').bytes.slice(12)).toEqual([1, 2, 3, 4]);
  });
  it('refuses what is not an address', () => {
    for (const t of ['', 'localhost', '1.2.3', '1.2.3.4.5', '256.0.0.1', '01.2.3.4', '1::2::3', '1:2:3:4:5:6:7:8:9', '12345::', 'fe80::1%eth0', '::ffff:1.2.3', 'example.com']) {
      expect(parseIpAddress(t)).toBeNull();
    }
  });
});

describe('blockedRange', () => {
  it.each([
    ['127.0.0.1', 'loopback'], ['127.255.1.2', 'loopback'], ['::1', 'loopback'],
    ['10.0.0.1', 'private'], ['172.16.0.1', 'private'], ['172.31.255.255', 'private'], ['192.168.1.1', 'private'],
    ['100.64.0.1', 'private'], ['100.127.255.254', 'private'], ['fc00::1', 'private'], ['fd00:ec2::254', 'private'],
    ['169.254.169.254', 'link-local'], ['fe80::1', 'link-local'], ['febf::1', 'link-local'],
    ['224.0.0.1', 'multicast'], ['239.255.255.250', 'multicast'], ['ff02::1', 'multicast'],
    ['0.0.0.0', 'unspecified'], ['::', 'unspecified'], ['255.255.255.255', 'reserved'],
    // The same addresses written as IPv6.
    ['::ffff:127.0.0.1', 'loopback'], ['::ffff:7f00:1', 'loopback'], ['::ffff:169.254.169.254', 'link-local'],
    ['::ffff:10.0.0.1', 'private'], ['64:ff9b::a00:1', 'private'], ['2002:7f00:1::', 'loopback'], ['::127.0.0.1', 'loopback'],
  ])('%s is %s', (address, expected) => {
    expect(range(address)).toBe(expected);
  });
  it.each(['8.8.8.8', '1.1.1.1', '172.32.0.1', '100.128.0.1', '169.253.1.1', '2606:4700::1111', '::ffff:8.8.8.8', '2001:db8::1'])('%s is public', (address) => {
    expect(range(address)).toBeNull();
  });
});

describe('CIDRs', () => {
  it('matches by prefix, a bare address being one address', () => {
    const net = parseCidr('10.20.0.0/16');
    expect(net && cidrContains(net, ip('10.20.3.4'))).toBe(true);
    expect(net && cidrContains(net, ip('10.21.0.1'))).toBe(false);
    const one = parseCidr('127.0.0.1');
    expect(one && cidrContains(one, ip('127.0.0.1'))).toBe(true);
    expect(one && cidrContains(one, ip('127.0.0.2'))).toBe(false);
  });
  it('an IPv4 range covers the IPv6 spelling of its addresses', () => {
    const net = parseCidr('127.0.0.0/8');
    expect(net && cidrContains(net, ip('::ffff:127.0.0.1'))).toBe(true);
    const v6 = parseCidr('fd12::/16');
    expect(v6 && cidrContains(v6, ip('10.0.0.1'))).toBe(false);
    const mapped = parseCidr('::ffff:0:0/96');
    expect(mapped && cidrContains(mapped, ip('10.0.0.1'))).toBe(true);
  });
  it('refuses bad prefixes', () => {
    expect(parseCidr('10.0.0.0/33')).toBeNull();
    expect(parseCidr('::/129')).toBeNull();
    expect(parseCidr('10.0.0.0/8/8')).toBeNull();
    expect(parseCidr('10.0.0.0/x')).toBeNull();
  });
});

describe('parseOutboundAllowlist', () => {
  it('splits host names from ranges and reports bad entries', () => {
    const r = parseOutboundAllowlist(' chat.corp.example., 10.20.0.0/16 ,::1, localhost,, 192.168.1.5, 999.1.1.1, bad host, 10.0.0.0/40');
    expect(r.hosts).toEqual(['chat.corp.example', 'localhost']);
    expect(r.cidrs.map((c) => c.prefix)).toEqual([16, 128, 32]);
    expect(r.problems).toHaveLength(3);
    expect(r.problems[0]).toContain('"999.1.1.1"');
  });
  it('an empty list is empty', () => {
    expect(parseOutboundAllowlist('')).toEqual({ hosts: [], cidrs: [], problems: [] });
  });
});

describe('outboundRefusal', () => {
  it('refuses private addresses with the reason and the way out', () => {
    expect(outboundRefusal(closed, '127.0.0.1', '127.0.0.1')).toMatch(/^127\.0\.0\.1 is a loopback address; .*OUTBOUND_ALLOWLIST/);
    expect(outboundRefusal(closed, 'metadata.internal', '169.254.169.254')).toMatch(/^metadata\.internal resolves to 169\.254\.169\.254, which is a link-local address \(the range of the cloud metadata service\)/);
    expect(outboundRefusal(closed, '[::1]', '::1')).toMatch(/^::1 is a loopback address/);
  });
  it('allows public addresses', () => {
    expect(outboundRefusal(closed, 'hooks.slack.com', '34.1.2.3')).toBeNull();
  });
  it('OUTBOUND_ALLOW_PRIVATE allows everything', () => {
    expect(outboundRefusal({ ...closed, allowPrivate: true }, '10.0.0.1', '10.0.0.1')).toBeNull();
  });
  it('an allowed host name may resolve anywhere; an allowed range covers its addresses only', () => {
    const { hosts, cidrs } = parseOutboundAllowlist('Chat.Corp.Example, 10.20.0.0/16');
    const policy = { allowPrivate: false, hosts, cidrs };
    expect(outboundRefusal(policy, 'chat.corp.example.', '10.99.0.1')).toBeNull();
    expect(outboundRefusal(policy, 'other.corp.example', '10.20.0.7')).toBeNull();
    expect(outboundRefusal(policy, 'other.corp.example', '10.21.0.7')).toContain('private');
    expect(outboundRefusal(policy, 'evil.example', '169.254.169.254')).toContain('link-local');
  });
  it('an unparseable address is refused', () => {
    expect(outboundRefusal(closed, 'x', 'nonsense')).toContain('not an IP address');
  });
});

describe('literalTargetRefusal', () => {
  it('refuses address literals and localhost when saved; names wait for their resolution', () => {
    expect(literalTargetRefusal(closed, '10.0.0.1')).toContain('private');
    expect(literalTargetRefusal(closed, '[::ffff:7f00:1]')).toContain('loopback');
    expect(literalTargetRefusal(closed, 'localhost')).toContain('loopback');
    expect(literalTargetRefusal(closed, 'api.localhost')).toContain('loopback');
    expect(literalTargetRefusal(closed, 'internal.corp.example')).toBeNull();
    expect(literalTargetRefusal(closed, '8.8.8.8')).toBeNull();
  });
  it('the allowlist and OUTBOUND_ALLOW_PRIVATE apply', () => {
    const { hosts, cidrs } = parseOutboundAllowlist('localhost, 127.0.0.1');
    expect(literalTargetRefusal({ allowPrivate: false, hosts, cidrs }, 'localhost')).toBeNull();
    expect(literalTargetRefusal({ allowPrivate: false, hosts, cidrs }, '127.0.0.1')).toBeNull();
    expect(literalTargetRefusal({ allowPrivate: false, hosts, cidrs }, '127.0.0.2')).toContain('loopback');
    expect(literalTargetRefusal({ allowPrivate: true, hosts: [], cidrs: [] }, '10.0.0.1')).toBeNull();
  });
});
