/**
 * Which network addresses a DID-controlled URL may reach. A DID's controller chooses did:web hosts, service
 * endpoints and status-list URLs, so without this a resolver is an open proxy into the operator's network (SSRF).
 *
 * The check runs on the address actually connected to (see `http-client.ts`), so a DNS name that resolves to a
 * private address, or re-resolves to one later (DNS rebinding), is refused too.
 */
import { BlockList, isIP } from 'node:net';

/** Address classes that are refused for untrusted URLs unless allowed in config. */
export type AddressClass =
  | 'loopback'
  | 'private'
  | 'link-local'
  | 'multicast'
  | 'unspecified'
  | 'metadata'
  | 'shared'
  | 'reserved';

export const ADDRESS_CLASSES: readonly AddressClass[] = [
  'loopback',
  'private',
  'link-local',
  'multicast',
  'unspecified',
  'metadata',
  'shared',
  'reserved',
];

function list(entries: Array<[string, number, 'ipv4' | 'ipv6']>): BlockList {
  const b = new BlockList();
  for (const [net, prefix, family] of entries) b.addSubnet(net, prefix, family);
  return b;
}

// Cloud metadata services: AWS/GCP/Azure/OpenStack 169.254.169.254, AWS IPv6 fd00:ec2::254, Alibaba 100.100.100.200.
const METADATA = new Set(['169.254.169.254', 'fd00:ec2::254', '100.100.100.200', '169.254.170.2']);

const CLASSES: Array<[AddressClass, BlockList]> = [
  ['loopback', list([['127.0.0.0', 8, 'ipv4'], ['::1', 128, 'ipv6']])],
  ['unspecified', list([['0.0.0.0', 8, 'ipv4'], ['::', 128, 'ipv6']])],
  [
    'private',
    list([
      ['10.0.0.0', 8, 'ipv4'],
      ['172.16.0.0', 12, 'ipv4'],
      ['192.168.0.0', 16, 'ipv4'],
      ['fc00::', 7, 'ipv6'],
    ]),
  ],
  ['link-local', list([['169.254.0.0', 16, 'ipv4'], ['fe80::', 10, 'ipv6']])],
  ['multicast', list([['224.0.0.0', 4, 'ipv4'], ['ff00::', 8, 'ipv6']])],
  ['shared', list([['100.64.0.0', 10, 'ipv4']])],
  [
    'reserved',
    list([
      ['192.0.0.0', 24, 'ipv4'],
      ['192.0.2.0', 24, 'ipv4'],
      ['198.18.0.0', 15, 'ipv4'],
      ['198.51.100.0', 24, 'ipv4'],
      ['203.0.113.0', 24, 'ipv4'],
      ['240.0.0.0', 4, 'ipv4'],
      ['2001:db8::', 32, 'ipv6'],
      ['64:ff9b::', 96, 'ipv6'],
    ]),
  ],
];

/** Unwraps IPv4-mapped IPv6 (`::ffff:10.0.0.1`) so the IPv4 rules apply to it. */
function unwrapMapped(address: string): string {
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return m ? m[1]! : address;
}

/** The classes an IP address belongs to; empty for a public unicast address. Throws TypeError for a non-IP. */
export function classifyAddress(address: string): AddressClass[] {
  const a = unwrapMapped(address.replace(/^\[|\]$/g, ''));
  const family = isIP(a);
  if (family === 0) throw new TypeError(`"address" is not an IP address: ${address}`);
  const type = family === 4 ? 'ipv4' : 'ipv6';
  const out: AddressClass[] = [];
  if (METADATA.has(a.toLowerCase())) out.push('metadata');
  for (const [cls, bl] of CLASSES) if (bl.check(a, type)) out.push(cls);
  return out;
}

export interface AddressPolicyConfig {
  /** Address classes allowed for untrusted URLs (e.g. `['loopback']` in tests). Default: none. */
  allow?: readonly AddressClass[];
  /** Host names always allowed (exact, lower-case), whatever they resolve to. Use for known internal upstreams. */
  allowHosts?: readonly string[];
}

/** Decides whether an untrusted URL may connect to an address. */
export class AddressPolicy {
  private readonly allow: Set<AddressClass>;
  private readonly allowHosts: Set<string>;

  constructor(config: AddressPolicyConfig = {}) {
    this.allow = new Set(config.allow ?? []);
    this.allowHosts = new Set((config.allowHosts ?? []).map((h) => h.toLowerCase()));
  }

  hostAllowed(host: string): boolean {
    return this.allowHosts.has(host.toLowerCase());
  }

  /** Returns the refused classes of `address` (empty when it may be used). Metadata addresses always stay refused
   * unless 'metadata' itself is allowed, even when their broader class (link-local) is. */
  refusedClasses(address: string): AddressClass[] {
    const classes = classifyAddress(address);
    if (classes.includes('metadata') && !this.allow.has('metadata')) return ['metadata'];
    return classes.filter((c) => !this.allow.has(c));
  }
}
