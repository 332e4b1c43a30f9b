/**
 * The did:ethr adapter: ERC-1056 (`EthereumDIDRegistry`) DIDs on any configured EVM network, resolved by
 * ethr-did-resolver 11 through did-resolver 6, with the HTTP, deadline and error handling of didbridge.
 *
 * did:ethr documents are DID Core documents already, so no translation is needed (`changes: []`).
 *
 * @see https://github.com/decentralized-identity/ethr-did-resolver/blob/master/doc/did-method-spec.md
 * @see https://eips.ethereum.org/EIPS/eip-1056
 */
import { Resolver as DidResolver, type ResolverRegistry } from 'did-resolver';
import { getResolver } from 'ethr-did-resolver';
import type { AdapterContext, MethodAdapter, MethodResolution } from '../../src/adapter.js';
import {
  DidBridgeError,
  InvalidDidDocumentError,
  InvalidDidError,
  InvalidOptionsError,
  NotFoundError,
  UpstreamError,
  parseErrorName,
} from '../../src/errors.js';
import type { DIDDocument, DIDDocumentMetadata, JsonValue, ResolutionOptions } from '../../src/spec.js';
import type { ParsedDid } from '../../src/syntax/did-url.js';
import { normaliseDatetime } from '../../src/util/datetime.js';
import { chainIdSegment, readEthrConfig, type EthrAdapterConfig, type EthrNetwork } from './config.js';
import { ethers, openRpcSession, type RpcSession } from './rpc.js';
import { lastBlockAtOrBefore } from './version-time.js';

export type { EthrAdapterConfig, EthrNetworkConfig } from './config.js';
export { ETHR_DEFAULTS } from './config.js';

/**
 * A did:ethr DID: an optional network segment (a name such as `sepolia` or `rsk:testnet`, or a hex chain id such as
 * `0x539`), then a 20-byte address or a 33-byte compressed secp256k1 public key, both `0x`-prefixed hex.
 * Java-compatible, as it is also the Universal Resolver `pattern`.
 */
export const ETHR_DID_PATTERN =
  /^did:ethr:(?:[A-Za-z0-9._-]+(?::[A-Za-z0-9._-]+)*:)?0x(?:[0-9a-fA-F]{40}|[0-9a-fA-F]{66})$/;

/** An address with no registry events, used for the default test identifiers (ethr-did-resolver README example). */
const TEST_ADDRESS = '0xb9c5714089478a327f09197987f16f9e5d936e8a';

/** How ethr-did-resolver 11 reports a `versionId` naming a block the chain does not have (resolver.ts, getBlockMetadata). */
const MISSING_BLOCK = /^Block at height (\d+) not found/;

/** Splits a did:ethr method-specific id into its network segment (default `mainnet`) and its identifier. */
export function splitEthrId(methodSpecificId: string): { network: string; identifier: string } {
  const at = methodSpecificId.lastIndexOf(':');
  return at < 0
    ? { network: 'mainnet', identifier: methodSpecificId }
    : { network: methodSpecificId.slice(0, at), identifier: methodSpecificId.slice(at + 1) };
}

/**
 * Checks what the pattern cannot: a mixed-case address must carry a valid EIP-55 checksum, and a public key must be a
 * point on secp256k1. Uses the same ethers functions ethr-did-resolver applies, so whatever passes here is accepted
 * there too (otherwise it would fail deep inside the library and look like an upstream error).
 */
function validateEthrDid(did: ParsedDid): void {
  const { identifier } = splitEthrId(did.methodSpecificId);
  try {
    if (identifier.length === 42) ethers.getAddress(identifier);
    else ethers.computeAddress(identifier);
  } catch {
    throw new InvalidDidError(
      identifier.length === 42
        ? `"${did.did}" has a mixed-case address with an invalid EIP-55 checksum`
        : `"${did.did}" does not end in a compressed secp256k1 public key`,
    );
  }
}

/** ethr-did-resolver reads the block number from the DID URL query; did:ethr version ids are decimal block numbers. */
function readVersionId(versionId: unknown): number | undefined {
  if (versionId === undefined) return undefined;
  if (typeof versionId !== 'string' || !/^(?:0|[1-9][0-9]{0,14})$/.test(versionId)) {
    throw new InvalidOptionsError(`did:ethr "versionId" is a block number in decimal, got ${JSON.stringify(versionId)}`);
  }
  return Number(versionId);
}

function readVersionTime(versionTime: unknown): number | undefined {
  if (versionTime === undefined) return undefined;
  const normalised = normaliseDatetime(versionTime);
  if (!normalised) throw new InvalidOptionsError(`"versionTime" is not a datetime: ${JSON.stringify(versionTime)}`);
  return Date.parse(normalised) / 1000;
}

/** Removes the RPC URL (which may carry an API key) from a library message and bounds its length. */
function redact(message: string, network: EthrNetwork): string {
  let out = message;
  for (const secret of new Set([network.rpcUrl, new URL(network.rpcUrl).href])) out = out.split(secret).join('<rpc>');
  return out.length > 400 ? `${out.slice(0, 397)}...` : out;
}

/** Races `work` against the deadline and the caller's signal. */
function withDeadline<T>(
  work: Promise<T>,
  deadline: number,
  signal: AbortSignal | undefined,
  onTimeout: () => Error,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const cleanup = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    };
    const onAbort = () => {
      cleanup();
      reject(new UpstreamError('the resolution was aborted by its caller', { extensions: { reason: 'aborted' } }));
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(onTimeout());
    }, Math.max(0, deadline - Date.now()));
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        cleanup();
        resolve(value);
      },
      (err: unknown) => {
        cleanup();
        reject(err);
      },
    );
  });
}

/** Turns an ethr-did-resolver error result into a DidBridgeError. */
function libraryError(
  error: string,
  message: string,
  session: RpcSession,
  network: EthrNetwork,
  segment: string,
): DidBridgeError {
  // A transport failure reaches the library as an exception it reports as `notFound`; the typed original is better.
  const transport = session.transportError();
  if (transport) return transport;
  const detail = redact(message, network);
  const missingBlock = MISSING_BLOCK.exec(message);
  if (error === 'notFound' && missingBlock) {
    return new NotFoundError(`did:ethr network "${segment}" has no block ${missingBlock[1]} yet, so no such version exists`);
  }
  if (error === 'notFound') {
    // Every address has a did:ethr document (an implicit one without registry events), so the library's `notFound`
    // never means "no such DID": it wraps every failure to read the registry (bad RPC answer, no contract at the
    // registry address, pruned history). Reporting NOT_FOUND would tell clients, and the negative cache, a falsehood.
    return new UpstreamError(`did:ethr network "${segment}": the registry could not be read: ${detail}`);
  }
  if (error === 'invalidDid') return new InvalidDidError(detail || 'not a valid did:ethr');
  if (error === 'unknownNetwork') {
    return new DidBridgeError('METHOD_NOT_SUPPORTED', detail, { extensions: { network: segment } });
  }
  const code = parseErrorName(error);
  // `unsupportedFormat` cannot happen (we always ask for did+ld+json); anything unknown is our problem, not the DID's.
  return new DidBridgeError(code ?? 'INTERNAL_ERROR', `ethr-did-resolver reported "${error}": ${detail}`);
}

/**
 * Creates the did:ethr adapter.
 *
 * A network that is not configured answers METHOD_NOT_SUPPORTED (HTTP 501), naming the network. Why that code: the DID
 * is well-formed (not INVALID_DID) and may well exist on its chain (not NOT_FOUND, which would also be cached as a
 * negative answer), and nothing failed (not INTERNAL_ERROR, which monitoring counts as an outage and clients retry).
 * A did:ethr network is a variant of the method this deployment does not serve, which is what
 * METHOD_NOT_SUPPORTED / 501 Not Implemented says.
 *
 * Errors: a dead, slow or misbehaving RPC endpoint gives INTERNAL_ERROR within `timeoutMs`; a `versionId` block the
 * chain has not reached gives NOT_FOUND; a `versionId` that is not a decimal block number gives INVALID_OPTIONS.
 *
 * @see https://github.com/decentralized-identity/ethr-did-resolver/blob/master/doc/did-method-spec.md
 * @see https://w3c.github.io/did-resolution/#errors
 *
 * @example
 * const ethr = createEthrAdapter({ networks: [{ name: 'sepolia', rpcUrl: 'https://sepolia.example/rpc' }] })
 * const resolver = new Resolver({ adapters: [ethr] })
 * await resolver.resolve('did:ethr:sepolia:0xb9c5714089478a327f09197987f16f9e5d936e8a', { versionId: '5000000' })
 */
export function createEthrAdapter(config?: EthrAdapterConfig): MethodAdapter {
  const { table, networks, timeoutMs, maxResponseBytes, testIdentifiers } = readEthrConfig(config);
  const ids = testIdentifiers ?? networks.map((n) => `did:ethr:${n.label}:${TEST_ADDRESS}`);
  const bad = ids.find((d) => !ETHR_DID_PATTERN.test(d));
  if (bad !== undefined) throw new TypeError(`"testIdentifiers" contains "${bad}", which is not a did:ethr DID`);

  async function resolveOn(
    session: RpcSession,
    did: ParsedDid,
    network: EthrNetwork,
    segment: string,
    block: { versionId?: number; versionTime?: number },
  ): Promise<MethodResolution> {
    const height =
      block.versionTime !== undefined ? await lastBlockAtOrBefore(session.provider, block.versionTime) : block.versionId;
    // One network, registered under the segment the DID uses, with our provider (see rpc.ts for why not `rpcUrl`).
    // No `chainId` here: the provider already knows it, and with one ethr-did-resolver would build a second registry
    // contract for the hex key, which costs about 3 ms of ABI parsing per resolution.
    const options = {
      networks: [
        {
          name: segment,
          provider: session.provider,
          ...(network.registry !== undefined ? { registry: network.registry } : {}),
        },
      ],
    } as unknown as Parameters<typeof getResolver>[0];
    // ethr-did-resolver 11 is typed against did-resolver 5; the registry shape is the same in 6.
    const resolver = new DidResolver(getResolver(options) as unknown as ResolverRegistry, { cache: false });
    // The library takes the version from the DID URL query (`?versionId=<block>`), not from the options.
    const url = height === undefined ? did.did : `${did.did}?versionId=${height}`;
    const result = await resolver.resolve(url, { accept: 'application/did+ld+json' });
    const { error } = result.didResolutionMetadata;
    if (error) {
      const message = (result.didResolutionMetadata as { message?: unknown }).message;
      throw libraryError(String(error), typeof message === 'string' ? message : '', session, network, segment);
    }
    const upstream = result.didDocumentMetadata;
    const deactivated = upstream.deactivated === true;
    const document = result.didDocument as DIDDocument | null;
    if (!deactivated && (!document || typeof document !== 'object' || document.id !== did.did)) {
      throw new InvalidDidDocumentError(`ethr-did-resolver returned no document for "${did.did}"`);
    }
    const didDocumentMetadata: DIDDocumentMetadata = {};
    if (deactivated) didDocumentMetadata.deactivated = true;
    for (const key of ['versionId', 'updated', 'nextVersionId', 'nextUpdate'] as const) {
      const value = upstream[key];
      if (typeof value === 'string' && value !== '') didDocumentMetadata[key] = value;
    }
    const resolutionMetadata: Record<string, JsonValue> = { network: segment };
    if (network.chainId !== undefined) resolutionMetadata.chainId = chainIdSegment(network.chainId);
    if (height !== undefined) resolutionMetadata.block = String(height); // DID Core §7.3: no numbers in metadata
    return {
      // DID Resolution §resolving: a deactivated DID has no document (the library keeps an empty shell).
      didDocument: deactivated ? null : document,
      didDocumentMetadata,
      changes: [],
      resolutionMetadata,
    };
  }

  return {
    id: 'ethr',
    methods: ['ethr'],
    identifierPattern: ETHR_DID_PATTERN,
    traits: { updatable: true, deactivatable: true, enumerable: false, historyAvailable: true, humanReadable: false },
    capabilities: { versionId: true, versionTime: true, cacheable: true },
    testIdentifiers: () => ids,
    validate: validateEthrDid,

    async resolve(did: ParsedDid, options: ResolutionOptions, context: AdapterContext): Promise<MethodResolution> {
      const { network: segment } = splitEthrId(did.methodSpecificId);
      const network = table.get(segment);
      if (!network) {
        const configured = [...table.keys()];
        throw new DidBridgeError(
          'METHOD_NOT_SUPPORTED',
          `did:ethr network "${segment}" is not configured on this resolver ` +
            `(${configured.length > 0 ? `configured: ${configured.join(', ')}` : 'no did:ethr networks are configured'})`,
          { extensions: { network: segment } },
        );
      }
      const versionId = readVersionId(options.versionId);
      const versionTime = readVersionTime(options.versionTime);
      const deadline = Date.now() + timeoutMs;
      const session = openRpcSession({ network, http: context.http, deadline, maxResponseBytes });
      try {
        return await withDeadline(
          resolveOn(session, did, network, segment, {
            ...(versionId !== undefined ? { versionId } : {}),
            ...(versionTime !== undefined ? { versionTime } : {}),
          }),
          deadline,
          context.signal,
          () =>
            session.transportError() ??
            new UpstreamError(`did:ethr network "${segment}" did not answer within ${timeoutMs} ms`, {
              extensions: { reason: 'timeout' },
            }),
        );
      } catch (err) {
        // Failures inside ethers (e.g. in versionTime's block search) surface as ethers errors; the typed
        // transport error that caused them says more.
        if (err instanceof DidBridgeError) throw err;
        const message = redact(String((err as Error)?.message ?? err), network);
        throw session.transportError() ?? new UpstreamError(`did:ethr network "${segment}": ${message}`, { cause: err });
      } finally {
        session.close();
      }
    },
  };
}
