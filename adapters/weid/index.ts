/**
 * The did:weid adapter (WeBank WeIdentity on FISCO BCOS): resolution through a WeIdentity REST service per chain id,
 * translation of v1 and v3 documents to DID Core, and reverse translation into the WeIdentity shapes.
 *
 * did:weid is not in the W3C DID method registry, has no public resolver and no Universal Resolver driver
 * (domestic-methods.md §1): each consortium runs its own chain and REST service, so endpoints are configured per chain
 * id (see `config.ts`).
 *
 * Resolution:
 * 1. the identifier is checked before any request: `did:weid:[<chain id>:[<sub id>:]]0x<40 hex>` (§3.2; the
 *    address is compared case-insensitively and sent lower-case);
 * 2. `POST {baseUrl}/weid/api/invoke` (`getWeIdDocumentJson` by default) on the chain's endpoint; a chain id without
 *    an endpoint answers METHOD_NOT_SUPPORTED;
 * 3. the `HttpResponseData` envelope is read (`rest.ts`): 100104 `WEID_DOES_NOT_EXIST` → NOT_FOUND, 100101
 *    `WEID_INVALID` → INVALID_DID, other codes, non-2xx statuses, bodies that are not the envelope → INTERNAL_ERROR
 *    naming the service and what was wrong;
 * 4. the document must be the DID's own (same address; same chain id unless the DID has none), else INTERNAL_ERROR;
 * 5. it is translated (`translate.ts`); v3 `weIdDocumentMetadata` becomes document metadata (`deactivated: true`
 *    with the document kept upstream → a deactivated result), and `didDocumentMetadata.didbridgePreserved` carries the
 *    native document (and the upstream metadata and key type it was translated with) for reverse translation
 *    (`preserved.ts`). A DID asked for with an upper-case address gets `canonicalId`.
 *
 * @see https://github.com/WeBankBlockchain/WeIdentity-Rest-Service
 * @see /work/shared/docs/domestic-methods.md §3
 */
import type { AdapterContext, MethodAdapter, MethodResolution, Translation } from '../../src/adapter.js';
import { DidBridgeError, InvalidDidDocumentError, MethodNotSupportedError, UpstreamError } from '../../src/errors.js';
import { parseWeidIdentifier, type WeidIdentifier } from '../../src/keys/derive.js';
import type { JsonObject, MethodTraits, ResolutionOptions } from '../../src/spec.js';
import type { ParsedDid } from '../../src/syntax/did-url.js';
import { readWeidConfig, type WeidAdapterConfig, type WeidEndpoint } from './config.js';
import { wrapPreserved, PRESERVED_MEMBER, isJsonObject } from './preserved.js';
import { createWeidRenderers } from './render.js';
import { WEID_INVOKE_PATH, invokeRequestBody, isV3RespBody, memberIgnoringCase, readDocumentResponse, readEnvelope, unwrapRespBody } from './rest.js';
import { isFamilyDocument, translateFamilyDocument, type TranslateFamilyOptions } from './translate.js';

export type { WeidAdapterConfig, WeidEndpointConfig } from './config.js';
export { WEID_DEFAULTS, readWeidConfig } from './config.js';
export { WEID_ERROR_CODES, WEID_INVOKE_PATH, WEID_DOCUMENT_FUNCTIONS, invokeRequestBody, readDocumentResponse, readEnvelope } from './rest.js';
export { translateFamilyDocument, WEID_CONTEXT, TDID_CONTEXT, type FamilyMethod, type FamilyShape } from './translate.js';
export { createFamilyRenderer, createWeidRenderers, renderFamilyDocument } from './render.js';
export { readKeyMaterial, type KeyMaterial } from './keys.js';
export { PRESERVED_MEMBER, wrapPreserved, unwrapPreserved } from './preserved.js';
export { weidEmulator, WEID_SAMPLE_DIDS } from './sandbox.js';

/**
 * The whole-DID pattern (the Universal Resolver `pattern`): domestic-methods.md §3.2, which also fixes the SDK's
 * `[a-fA-f]` range bug (it admits `[\]^_\``).
 */
export const WEID_DID_PATTERN = /^did:weid:(?:[A-Za-z0-9]+:){0,2}0x[0-9a-fA-F]{40}$/;

const TRAITS: MethodTraits = {
  updatable: true,
  deactivatable: true,
  enumerable: false,
  historyAvailable: false,
  humanReadable: false,
};

/** The published sample DIDs (samples/weid/01, 03, 04), served as test identifiers when their chain has an endpoint. */
const SAMPLE_DIDS = [
  'did:weid:101:0xd9aeaa982fc21ea9addaf09e4f0c6a23a08d306a',
  'did:weid:0:0x82cf6d7c796126673238eae72d4d81f73596b04a',
  'did:weid:0xfd28ad212a2de77fee518b4914b8579a40c601fa',
];

/** Describes an endpoint for error details: host only (no path, no credentials). */
function describeUpstream(endpoint: WeidEndpoint, chainId: string | undefined): string {
  const host = new URL(endpoint.baseUrl).host;
  return `the WeIdentity REST service at ${host}${chainId === undefined ? '' : ` (chain ${chainId})`}`;
}

/** Pulls the native document (and v3 metadata) out of whatever `translate` was given. */
function nativeInput(input: unknown): { document: unknown; metadata: JsonObject | undefined } {
  if (!isJsonObject(input) || typeof input.id === 'string') return { document: input, metadata: undefined };
  const options = { upstream: 'the translated envelope', did: 'the DID' };
  if (memberIgnoringCase(input, 'errorCode') !== undefined || memberIgnoringCase(input, 'respBody') !== undefined) {
    return readEnvelope(input, options);
  }
  if (isV3RespBody(input)) return unwrapRespBody(input, options);
  return { document: input, metadata: undefined };
}

/**
 * Creates the did:weid adapter.
 *
 * @param config endpoints per chain id, timeouts, limits (see {@link WeidAdapterConfig})
 * @throws TypeError for a malformed configuration
 * @example
 * const weid = createWeidAdapter({ chains: { '101': { baseUrl: 'https://weid.example:6001' } } })
 * await new Resolver({ adapters: [weid] }).resolve('did:weid:101:0xd9aeaa982fc21ea9addaf09e4f0c6a23a08d306a')
 */
export function createWeidAdapter(config?: WeidAdapterConfig): MethodAdapter {
  const cfg = readWeidConfig(config);
  const route = (chainId: string | undefined): WeidEndpoint | undefined =>
    (chainId === undefined ? undefined : cfg.chains.get(chainId)) ?? cfg.defaultEndpoint;
  const testIdentifiers = cfg.testIdentifiers ?? SAMPLE_DIDS.filter((d) => route(parseWeidIdentifier(d).chainId) !== undefined);
  const bad = testIdentifiers.find((d) => !WEID_DID_PATTERN.test(d));
  if (bad !== undefined) throw new TypeError(`"testIdentifiers" contains ${JSON.stringify(bad)}, which is not a did:weid DID`);

  const identifiers = new WeakMap<ParsedDid, WeidIdentifier>();
  const identify = (did: ParsedDid): WeidIdentifier => {
    const known = identifiers.get(did);
    if (known) return known;
    const id = parseWeidIdentifier(did);
    identifiers.set(did, id);
    return id;
  };

  return {
    id: 'weid',
    methods: ['weid'],
    identifierPattern: WEID_DID_PATTERN,
    traits: TRAITS,
    capabilities: { cacheable: true, versionId: false, versionTime: false },
    testIdentifiers: () => testIdentifiers,
    validate(did: ParsedDid): void {
      identify(did);
    },
    async resolve(did: ParsedDid, _options: ResolutionOptions, context: AdapterContext): Promise<MethodResolution> {
      const id = identify(did);
      const endpoint = route(id.chainId);
      if (!endpoint) {
        throw new MethodNotSupportedError(
          `no WeIdentity REST service is configured for ${id.chainId === undefined ? 'did:weid DIDs without a chain id' : `chain id "${id.chainId}"`} ` +
            `(configure "chains.${id.chainId ?? '<chain id>'}" or "baseUrl")`,
        );
      }
      const canonical = `did:weid:${id.chainId === undefined ? '' : `${id.chainId}:`}${id.address}`;
      const upstream = describeUpstream(endpoint, id.chainId);
      const res = await context.http.request(`${endpoint.baseUrl}${WEID_INVOKE_PATH}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', ...endpoint.headers },
        body: JSON.stringify(invokeRequestBody(canonical, endpoint.functionName)),
        timeoutMs: endpoint.timeoutMs,
        maxBytes: cfg.maxResponseBytes,
        ...(context.signal ? { signal: context.signal } : {}),
      });
      const { document, metadata } = readDocumentResponse(res, { upstream, did: canonical });

      const docId = document.id;
      let docIdentifier: WeidIdentifier | undefined;
      try {
        docIdentifier = typeof docId === 'string' ? parseWeidIdentifier(docId) : undefined;
      } catch {
        docIdentifier = undefined;
      }
      const sameChain = docIdentifier !== undefined && (id.chainId === undefined || docIdentifier.chainId === id.chainId);
      if (!docIdentifier || docIdentifier.address !== id.address || !sameChain) {
        throw new UpstreamError(`${upstream} answered the document of ${JSON.stringify(typeof docId === 'string' ? docId.slice(0, 100) : docId ?? null)} when asked for ${canonical}`);
      }

      let translation: Translation;
      try {
        translation = translateFamilyDocument(document, {
          method: 'weid',
          maxEntries: cfg.maxEntries,
          ...(endpoint.cryptoType ? { keyType: endpoint.cryptoType } : {}),
          ...(metadata ? { upstreamMetadata: metadata } : {}),
        });
      } catch (err) {
        if (err instanceof DidBridgeError) {
          throw new InvalidDidDocumentError(`${upstream} answered a document that cannot be read: ${err.message}`, { cause: err });
        }
        throw err;
      }
      const didDocumentMetadata = { ...translation.didDocumentMetadata };
      if (translation.preserved) didDocumentMetadata[PRESERVED_MEMBER] = wrapPreserved(translation.preserved as JsonObject);
      const docDid = docId as string;
      if (docDid !== did.did) didDocumentMetadata.canonicalId = docDid;
      return {
        didDocument: translation.didDocument,
        didDocumentMetadata,
        changes: translation.changes,
        original: document,
      };
    },
    recognise(input: unknown): boolean {
      try {
        return isFamilyDocument(nativeInput(input).document, 'weid');
      } catch {
        return false;
      }
    },
    translate(input: unknown): Translation {
      const { document, metadata } = nativeInput(input);
      // The key type is the chain's when chains are configured; otherwise every chain id routes to the default.
      let keyType = cfg.defaultEndpoint?.cryptoType;
      if (cfg.chains.size > 0) {
        const chainId = isJsonObject(document) && typeof document.id === 'string' && WEID_DID_PATTERN.test(document.id) ? parseWeidIdentifier(document.id).chainId : undefined;
        keyType = route(chainId)?.cryptoType;
      }
      const options: TranslateFamilyOptions = { method: 'weid', maxEntries: cfg.maxEntries };
      if (keyType) options.keyType = keyType;
      if (metadata) options.upstreamMetadata = metadata;
      return translateFamilyDocument(document, options);
    },
    renderers: createWeidRenderers({ maxEntries: cfg.maxEntries }),
  };
}
