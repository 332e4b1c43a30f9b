/**
 * Configuration of the did:ethr adapter: which EVM networks it resolves on, and its limits.
 *
 * A did:ethr DID names its network in the method-specific id (`did:ethr:<network>:0x…`); no network means
 * `mainnet`. A network can be named by a name (`sepolia`, `rsk:testnet`, `dev`) or by its chain id in hex (`0x539`).
 * This module turns the operator's list into a lookup table from every accepted network segment to one network.
 *
 * @see https://github.com/decentralized-identity/ethr-did-resolver/blob/master/doc/did-method-spec.md
 */
import { deployments } from 'ethr-did-resolver';

/** One EVM network as the operator configures it. */
export interface EthrNetworkConfig {
  /** The network segment used in DIDs, e.g. `sepolia` or `rsk:testnet`. Either `name` or `chainId` is required. */
  name?: string;
  /** The EIP-155 chain id (number, or a decimal or `0x` hex string). Gives the `0x…` segment and saves a round trip. */
  chainId?: number | string;
  /** The JSON-RPC endpoint (http or https). Chosen by the operator, so no SSRF guard applies to it. */
  rpcUrl: string;
  /** The ERC-1056 registry address; default: the address ethr-did-resolver knows for the network. */
  registry?: string;
}

/** Options of {@link createEthrAdapter}. */
export interface EthrAdapterConfig {
  /** The networks to resolve on. Without any, the adapter loads and answers every DID with METHOD_NOT_SUPPORTED. */
  networks?: EthrNetworkConfig[];
  /** Overall deadline of one resolution (all its RPC calls), in ms. Default 10 000. */
  timeoutMs?: number;
  /** Largest JSON-RPC response accepted, in bytes. Default 4 MiB. */
  maxResponseBytes?: number;
  /** DIDs served at `/1.0/testIdentifiers`. Default: one fixed address on each configured network. */
  testIdentifiers?: string[];
}

/** A configured network after validation. */
export interface EthrNetwork {
  /** The segment the operator configured (name, or hex chain id when there is no name). */
  label: string;
  /** The chain id, when configured or known from ethr-did-resolver's deployment list. */
  chainId: bigint | undefined;
  rpcUrl: string;
  registry: string | undefined;
}

export const ETHR_DEFAULTS = {
  timeoutMs: 10_000,
  maxResponseBytes: 4 * 1024 * 1024,
} as const;

/** The largest timeout accepted: longer than the Universal Resolver would ever wait is a configuration mistake. */
const MAX_TIMEOUT_MS = 10 * 60_000;

/** Network names: DID Core idchars without `%`, in `:`-separated segments (ethr-did-resolver uses `rsk:testnet`). */
export const NETWORK_NAME = /^[A-Za-z0-9._-]+(?::[A-Za-z0-9._-]+)*$/;

const ADDRESS = /^0x[0-9a-fA-F]{40}$/;

/** The hex form of a chain id as did:ethr uses it in DIDs and ethr-did-resolver as a lookup key. */
export function chainIdSegment(chainId: bigint): string {
  return `0x${chainId.toString(16)}`;
}

function readChainId(value: unknown, where: string): bigint {
  let id: bigint | undefined;
  if (typeof value === 'number' && Number.isSafeInteger(value)) id = BigInt(value);
  else if (typeof value === 'string' && /^(?:0x[0-9a-fA-F]{1,16}|[0-9]{1,19})$/.test(value)) id = BigInt(value);
  if (id === undefined || id <= 0n) {
    throw new TypeError(
      `"${where}.chainId" must be a positive integer or a decimal or 0x-hex string, got ${JSON.stringify(value)}`,
    );
  }
  return id;
}

function readPositive(value: unknown, name: string, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > max) {
    throw new TypeError(`"${name}" must be a number greater than 0 and at most ${max}, got ${JSON.stringify(value)}`);
  }
  return value;
}

/**
 * Validates the adapter configuration (TypeError naming the parameter on misuse) and builds the lookup table from
 * every DID network segment to its network: the name, the hex chain id, and `mainnet` for chain 1 when no network is
 * called that (a did:ethr DID without a network segment means mainnet).
 */
export function readEthrConfig(config: EthrAdapterConfig | undefined): {
  table: Map<string, EthrNetwork>;
  networks: EthrNetwork[];
  timeoutMs: number;
  maxResponseBytes: number;
  testIdentifiers: string[] | undefined;
} {
  if (config !== undefined && (config === null || typeof config !== 'object' || Array.isArray(config))) {
    throw new TypeError('"config" must be an object');
  }
  const cfg = config ?? {};
  if (cfg.networks !== undefined && !Array.isArray(cfg.networks)) throw new TypeError('"networks" must be an array');
  const networks: EthrNetwork[] = [];
  const table = new Map<string, EthrNetwork>();
  const claim = (segment: string, net: EthrNetwork, where: string) => {
    const existing = table.get(segment);
    if (existing && existing !== net) {
      throw new TypeError(`"${where}" claims the network segment "${segment}" already used by "${existing.label}"`);
    }
    table.set(segment, net);
  };
  (cfg.networks ?? []).forEach((entry, index) => {
    const where = `networks[${index}]`;
    if (!entry || typeof entry !== 'object') throw new TypeError(`"${where}" must be an object`);
    const { name, chainId, rpcUrl, registry } = entry;
    if (name !== undefined && (typeof name !== 'string' || !NETWORK_NAME.test(name))) {
      throw new TypeError(
        `"${where}.name" must be a network name such as "sepolia" or "rsk:testnet", got ${JSON.stringify(name)}`,
      );
    }
    let parsedUrl: URL | undefined;
    try {
      parsedUrl = typeof rpcUrl === 'string' ? new URL(rpcUrl) : undefined;
    } catch {
      parsedUrl = undefined;
    }
    if (!parsedUrl || (parsedUrl.protocol !== 'http:' && parsedUrl.protocol !== 'https:')) {
      throw new TypeError(`"${where}.rpcUrl" must be an http or https URL`);
    }
    if (registry !== undefined && (typeof registry !== 'string' || !ADDRESS.test(registry))) {
      throw new TypeError(
        `"${where}.registry" must be a 0x-prefixed 20-byte hex address, got ${JSON.stringify(registry)}`,
      );
    }
    // Known public networks (mainnet, sepolia, ...) get their chain id from ethr-did-resolver's deployment list,
    // exactly as the library itself does, so that `did:ethr:0xaa36a7:…` and `did:ethr:sepolia:…` both work.
    const known = name === undefined ? undefined : deployments.find((d) => d.name === name || d.description === name);
    const id = chainId !== undefined ? readChainId(chainId, where) : known ? BigInt(known.chainId) : undefined;
    if (name === undefined && id === undefined) throw new TypeError(`"${where}" needs a "name" or a "chainId"`);
    const net: EthrNetwork = {
      label: name ?? chainIdSegment(id!),
      chainId: id,
      rpcUrl,
      registry: registry ?? (known?.registry as string | undefined),
    };
    networks.push(net);
    if (name !== undefined) claim(name, net, `${where}.name`);
    if (id !== undefined) claim(chainIdSegment(id), net, `${where}.chainId`);
  });
  const mainnet = networks.find((n) => n.chainId === 1n);
  if (!table.has('mainnet') && mainnet) table.set('mainnet', mainnet);

  if (cfg.testIdentifiers !== undefined) {
    if (!Array.isArray(cfg.testIdentifiers) || cfg.testIdentifiers.some((d) => typeof d !== 'string')) {
      throw new TypeError('"testIdentifiers" must be an array of strings');
    }
  }
  return {
    table,
    networks,
    timeoutMs: readPositive(cfg.timeoutMs, 'timeoutMs', ETHR_DEFAULTS.timeoutMs, MAX_TIMEOUT_MS),
    maxResponseBytes: readPositive(cfg.maxResponseBytes, 'maxResponseBytes', ETHR_DEFAULTS.maxResponseBytes, 2 ** 30),
    testIdentifiers: cfg.testIdentifiers ? [...cfg.testIdentifiers] : undefined,
  };
}
