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

// Cloud metadata services: AWS/GCP/Azure/OpenStack 169.254.169.254, AWS IPv6 fd00:ec2::254, Alibaba 100.100.100.200,
// AWS ECS task metadata 169.254.170.2. A BlockList (not a string set) so every spelling of an address matches.
const METADATA = list([
  ['169.254.169.254', 32, 'ipv4'],
  ['169.254.170.2', 32, 'ipv4'],
  ['100.100.100.200', 32, 'ipv4'],
  ['fd00:ec2::254', 128, 'ipv6'],
]);

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
      // NAT64 (RFC 6052, RFC 8215): the gateway translates these to the embedded IPv4 address, which may be internal.
      ['64:ff9b::', 96, 'ipv6'],
      ['64:ff9b:1::', 48, 'ipv6'],
      // Deprecated site-local (RFC 3879), still routed inside some networks.
      ['fec0::', 10, 'ipv6'],
    ]),
  ],
];

/**
 * Unwraps IPv4-mapped IPv6 so the IPv4 rules apply to it, in every spelling: `::ffff:10.0.0.1`, `::ffff:a00:1` (the
 * form the WHATWG URL parser produces for `https://[::ffff:10.0.0.1]/`), `0:0:0:0:0:ffff:a00:1`, upper case.
 */
function unwrapMapped(address: string): string {
  if (isIP(address) !== 6) return address;
  // The URL parser canonicalises IPv6 (lower case, `::` compression, dotted tail to hex), so one pattern suffices.
  const canonical = new URL(`http://[${address}]/`).hostname.slice(1, -1);
  const m = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(canonical);
  if (!m) return canonical;
  const hi = parseInt(m[1]!, 16);
  const lo = parseInt(m[2]!, 16);
  return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
}

/**
 * The classes an IP address belongs to; empty for a public unicast address. Accepts IPv6 in brackets.
 * Throws TypeError for anything that is not an IP address.
 *
 * @example
 * classifyAddress('169.254.169.254') // ['metadata', 'link-local']
 * classifyAddress('::ffff:10.0.0.1') // ['private']
 */
export function classifyAddress(address: string): AddressClass[] {
  if (typeof address !== 'string') throw new TypeError('"address" must be a string');
  const bare = address.replace(/^\[(.*)\]$/, '$1');
  if (isIP(bare) === 0) throw new TypeError(`"address" is not an IP address: ${address.slice(0, 60)}`);
  const a = unwrapMapped(bare);
  const type = isIP(a) === 4 ? 'ipv4' : 'ipv6';
  const out: AddressClass[] = [];
  if (METADATA.check(a, type)) out.push('metadata');
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
    if (config === null || typeof config !== 'object') throw new TypeError('"addressPolicy" must be an object');
    const allow = config.allow ?? [];
    if (!Array.isArray(allow)) throw new TypeError('"addressPolicy.allow" must be an array of address classes');
    for (const cls of allow) {
      if (!ADDRESS_CLASSES.includes(cls)) {
        throw new TypeError(`"addressPolicy.allow" has unknown class ${JSON.stringify(cls)}; known: ${ADDRESS_CLASSES.join(', ')}`);
      }
    }
    const hosts = config.allowHosts ?? [];
    if (!Array.isArray(hosts) || hosts.some((h) => typeof h !== 'string')) {
      throw new TypeError('"addressPolicy.allowHosts" must be an array of host names');
    }
    this.allow = new Set(allow);
    this.allowHosts = new Set(hosts.map((h) => h.toLowerCase()));
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
