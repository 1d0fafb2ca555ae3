import {
  cidrContains,
  cidrsOverlap,
  findFreeCidr,
  isIpv4Cidr,
  parseIpv4Cidr,
  planSubnets,
  splitCidr,
  usableSubnetAddresses,
} from './cidr';

describe('CIDR parsing', () => {
  it.each(['10.0.0.0/16', '100.64.0.0/12', '0.0.0.0/0', '192.168.1.128/25'])(
    'accepts %s',
    cidr => {
      expect(isIpv4Cidr(cidr)).toBe(true);
    },
  );

  it.each([
    '10.0.0.0',
    '10.0.0.0/33',
    '10.0.0.256/24',
    'abc',
    '',
    '10.0.0.0/16/1',
    '::1/128',
    ' 10.0.0.0/16',
  ])('rejects %s', cidr => {
    expect(isIpv4Cidr(cidr)).toBe(false);
  });

  it('explains host bits', () => {
    expect(parseIpv4Cidr('10.0.0.1/16')).toEqual({
      error: expect.stringContaining('the network is 10.0.0.0/16'),
    });
  });
});

describe('overlap and containment', () => {
  it('detects overlap in both directions', () => {
    expect(cidrsOverlap('10.0.0.0/16', '10.0.128.0/17')).toBe(true);
    expect(cidrsOverlap('10.0.128.0/17', '10.0.0.0/16')).toBe(true);
    expect(cidrsOverlap('10.0.0.0/17', '10.0.128.0/17')).toBe(false);
    expect(cidrsOverlap('100.64.0.0/12', '100.79.255.0/24')).toBe(true);
    expect(cidrsOverlap('100.64.0.0/12', '100.80.0.0/24')).toBe(false);
  });

  it('detects containment', () => {
    expect(cidrContains('10.51.0.0/16', '10.51.64.0/18')).toBe(true);
    expect(cidrContains('10.51.64.0/18', '10.51.0.0/16')).toBe(false);
    expect(cidrContains('10.51.0.0/16', '10.52.0.0/18')).toBe(false);
  });
});

describe('splitting and planning', () => {
  it('splits a block', () => {
    expect(splitCidr('10.0.0.0/16', 18)).toEqual([
      '10.0.0.0/18',
      '10.0.64.0/18',
      '10.0.128.0/18',
      '10.0.192.0/18',
    ]);
  });

  it('counts usable addresses the way AWS reserves them', () => {
    expect(usableSubnetAddresses('10.0.0.0/24')).toBe(251);
    expect(usableSubnetAddresses('10.0.0.0/28')).toBe(11);
  });

  it('plans larger private than public subnets, one of each per zone, without overlap', () => {
    const planned = planSubnets('10.10.0.0/16', [
      'eu-west-1a',
      'eu-west-1b',
      'eu-west-1c',
    ]);
    if ('error' in planned) throw new Error(planned.error);
    expect(planned).toHaveLength(6);
    for (const zone of ['eu-west-1a', 'eu-west-1b', 'eu-west-1c']) {
      const priv = planned.find(s => s.availabilityZone === zone && !s.public)!;
      const pub = planned.find(s => s.availabilityZone === zone && s.public)!;
      expect(usableSubnetAddresses(priv.cidr)).toBeGreaterThan(
        usableSubnetAddresses(pub.cidr),
      );
    }
    planned.forEach((a, i) => {
      expect(cidrContains('10.10.0.0/16', a.cidr)).toBe(true);
      planned
        .slice(i + 1)
        .forEach(b => expect(cidrsOverlap(a.cidr, b.cidr)).toBe(false));
    });
  });

  it('refuses a VPC too small to carve', () => {
    expect(planSubnets('10.0.0.0/26', ['eu-west-1a'])).toEqual({
      error: expect.stringContaining('too small'),
    });
  });
});

describe('findFreeCidr', () => {
  it('returns the first free aligned block', () => {
    expect(findFreeCidr('10.0.0.0/8', 16, [])).toBe('10.0.0.0/16');
    expect(findFreeCidr('10.0.0.0/8', 16, ['10.0.0.0/16', '10.1.0.0/16'])).toBe(
      '10.2.0.0/16',
    );
    expect(findFreeCidr('10.0.0.0/8', 16, ['10.0.0.0/20'])).toBe('10.1.0.0/16');
    expect(findFreeCidr('10.0.0.0/8', 16, ['10.1.0.0/16'])).toBe('10.0.0.0/16');
  });

  it('ignores blocks outside the pool and unparsable ones', () => {
    expect(
      findFreeCidr('10.0.0.0/15', 16, [
        '192.168.0.0/16',
        'nonsense',
        '10.0.5.0/24',
      ]),
    ).toBe('10.1.0.0/16');
  });

  it('reports a full pool', () => {
    expect(
      findFreeCidr('10.0.0.0/15', 16, ['10.0.0.0/16', '10.1.0.0/16']),
    ).toBeUndefined();
    expect(findFreeCidr('10.0.0.0/16', 8, [])).toBeUndefined();
  });

  it('never hands out an overlapping block', () => {
    const used: string[] = ['10.0.3.0/24', '10.0.64.0/18'];
    for (let i = 0; i < 40; i++) {
      const next = findFreeCidr('10.0.0.0/16', 22, used);
      if (!next) break;
      expect(used.some(u => cidrsOverlap(u, next))).toBe(false);
      used.push(next);
    }
    expect(used.length).toBeGreaterThan(30);
  });
});
