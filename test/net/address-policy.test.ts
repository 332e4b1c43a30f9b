import { describe, expect, it } from 'vitest';
import { AddressPolicy, classifyAddress, type AddressClass } from '../../src/net/address-policy.js';

describe('classifyAddress()', () => {
  const cases: Array<[string, AddressClass[]]> = [
    // RFC 1918 private ranges, at both ends of each block.
    ['10.0.0.1', ['private']],
    ['10.255.255.254', ['private']],
    ['172.16.0.1', ['private']],
    ['172.31.255.255', ['private']],
    ['192.168.0.1', ['private']],
    ['192.168.255.255', ['private']],
    // Cloud metadata: its own class first, on top of link-local.
    ['169.254.169.254', ['metadata', 'link-local']],
    ['169.254.170.2', ['metadata', 'link-local']],
    ['100.100.100.200', ['metadata', 'shared']],
    ['fd00:ec2::254', ['metadata', 'private']],
    ['169.254.1.1', ['link-local']],
    ['127.0.0.1', ['loopback']],
    ['127.255.0.9', ['loopback']],
    ['::1', ['loopback']],
    ['[::1]', ['loopback']],
    ['fe80::1', ['link-local']],
    ['febf:ffff::1', ['link-local']],
    ['fc00::1', ['private']],
    ['fdff:ffff::1', ['private']],
    // RFC 6598 shared address space (carrier-grade NAT).
    ['100.64.0.1', ['shared']],
    ['100.127.255.255', ['shared']],
    ['0.0.0.0', ['unspecified']],
    ['::', ['unspecified']],
    ['224.0.0.1', ['multicast']],
    ['ff02::1', ['multicast']],
    ['192.0.2.10', ['reserved']],
    ['2001:db8::1', ['reserved']],
    ['64:ff9b::a00:1', ['reserved']],
    ['fec0::1', ['reserved']],
    // Public unicast addresses belong to no class.
    ['8.8.8.8', []],
    ['1.1.1.1', []],
    ['172.32.0.1', []],
    ['100.128.0.1', []],
    ['2606:4700:4700::1111', []],
  ];
  it.each(cases)('%s → %j', (address, expected) => {
    expect(classifyAddress(address)).toEqual(expected);
  });

  describe('IPv4-mapped IPv6 gets the IPv4 rules in every spelling', () => {
    it.each([
      ['::ffff:10.0.0.1', ['private']],
      ['::ffff:a00:1', ['private']],
      ['0:0:0:0:0:ffff:a00:1', ['private']],
      ['::FFFF:7F00:1', ['loopback']],
      ['[::ffff:127.0.0.1]', ['loopback']],
      // Regression: the hex spelling (what the URL parser makes of [::ffff:169.254.169.254]) used to lose 'metadata'.
      ['::ffff:a9fe:a9fe', ['metadata', 'link-local']],
      ['::ffff:8.8.8.8', []],
    ] as Array<[string, AddressClass[]]>)('%s → %j', (address, expected) => {
      expect(classifyAddress(address)).toEqual(expected);
    });
  });

  it('throws TypeError naming "address" for something that is not an IP address', () => {
    expect(() => classifyAddress('localhost')).toThrow(TypeError);
    expect(() => classifyAddress('localhost')).toThrow(/"address"/);
    expect(() => classifyAddress('10.0.0.256')).toThrow(TypeError);
    expect(() => classifyAddress(42 as unknown as string)).toThrow(/"address" must be a string/);
  });
});

describe('AddressPolicy', () => {
  it('refuses every non-public class by default', () => {
    const policy = new AddressPolicy();
    expect(policy.refusedClasses('127.0.0.1')).toEqual(['loopback']);
    expect(policy.refusedClasses('10.1.2.3')).toEqual(['private']);
    expect(policy.refusedClasses('93.184.215.14')).toEqual([]);
  });

  it('allows the listed classes only', () => {
    const policy = new AddressPolicy({ allow: ['loopback'] });
    expect(policy.refusedClasses('127.0.0.1')).toEqual([]);
    expect(policy.refusedClasses('::1')).toEqual([]);
    expect(policy.refusedClasses('192.168.1.1')).toEqual(['private']);
  });

  it('keeps metadata addresses refused when only their broader class is allowed', () => {
    const policy = new AddressPolicy({ allow: ['link-local', 'private', 'shared'] });
    expect(policy.refusedClasses('169.254.1.1')).toEqual([]);
    expect(policy.refusedClasses('169.254.169.254')).toEqual(['metadata']);
    expect(policy.refusedClasses('::ffff:169.254.169.254')).toEqual(['metadata']);
    expect(policy.refusedClasses('fd00:ec2::254')).toEqual(['metadata']);
    expect(policy.refusedClasses('100.100.100.200')).toEqual(['metadata']);
    expect(new AddressPolicy({ allow: ['metadata', 'link-local'] }).refusedClasses('169.254.169.254')).toEqual([]);
  });

  it('matches allowHosts case-insensitively', () => {
    const policy = new AddressPolicy({ allowHosts: ['VDR.Internal.example'] });
    expect(policy.hostAllowed('vdr.internal.example')).toBe(true);
    expect(policy.hostAllowed('other.example')).toBe(false);
  });

  it('throws TypeError naming the option for a bad configuration', () => {
    expect(() => new AddressPolicy({ allow: ['loopbak' as AddressClass] })).toThrow(/"addressPolicy.allow".*loopbak/);
    expect(() => new AddressPolicy({ allow: 'loopback' as unknown as AddressClass[] })).toThrow(TypeError);
    expect(() => new AddressPolicy({ allowHosts: [1 as unknown as string] })).toThrow(/"addressPolicy.allowHosts"/);
  });
});
