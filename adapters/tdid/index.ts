/**
 * The did:tdid adapter (Tencent Cloud TDID on FISCO BCOS): a WeIdentity derivative whose documents are WeIdentity-v1
 * style under `verificationMethod`, with the decimal secp256k1 `publicKey`, `created` in epoch seconds and
 * `updated: null` (domestic-methods.md §6).
 *
 * **The Tencent Cloud API itself is not emulated or called directly**: it requires AK/SK request signing
 * (TC3-HMAC-SHA256) that didbridge does not perform. The adapter speaks the API's `GetTDidDocument` envelope
 * (`api.ts`) to a configurable `baseUrl`, meant for a signing proxy or a service with the same wire shape; the
 * sandbox emulator (`sandbox.ts`) speaks the same shape.
 *
 * Translation and reverse translation reuse the WeIdentity-family code of `adapters/weid/` (key decoding, change
 * records, preserved data); the `tdid` renderer writes the TDID shape back.
 *
 * @see https://github.com/TencentCloud-Blockchain/TDID-Method-Specification
 * @see /work/shared/docs/domestic-methods.md §6
 */
import type { AdapterContext, MethodAdapter, MethodResolution, Translation } from '../../src/adapter.js';
import { DidBridgeError, InvalidDidDocumentError, MethodNotSupportedError, UpstreamError } from '../../src/errors.js';
import { parseTdidIdentifier, type TdidIdentifier } from '../../src/keys/derive.js';
import type { JsonObject, MethodTraits, ResolutionOptions } from '../../src/spec.js';
import type { ParsedDid } from '../../src/syntax/did-url.js';
import { readBaseUrl, readHeaders, readPositive } from '../weid/config.js';
import { PRESERVED_MEMBER, wrapPreserved } from '../weid/preserved.js';
import { createFamilyRenderer } from '../weid/render.js';
import { DEFAULT_MAX_ENTRIES, isFamilyDocument, translateFamilyDocument } from '../weid/translate.js';
import { TDID_ACTION, TDID_API_VERSION, getDocumentRequestBody, readGetDocumentResponse } from './api.js';

export { TDID_ACTION, TDID_API_VERSION, getDocumentRequestBody, readGetDocumentResponse, tdidErrorFor } from './api.js';
export { tdidEmulator, TDID_SAMPLE_DID } from './sandbox.js';

/** The whole-DID pattern (the Universal Resolver `pattern`), domestic-methods.md §6. */
export const TDID_DID_PATTERN = /^did:tdid:[a-z0-9-]{1,10}:0x[0-9a-fA-F]{40}$/;

/** Options of {@link createTdidAdapter}. */
export interface TdidAdapterConfig {
  /**
   * Where `GetTDidDocument` requests go (`POST {baseUrl}/`): a signing proxy in front of `https://tdid.tencentcloudapi.com`,
   * or a service with the same envelope. Without it every DID answers METHOD_NOT_SUPPORTED.
   */
  baseUrl?: string;
  /** `X-TC-Region`, when the proxy needs it. */
  region?: string;
  /** `DAPId`, the TDID application id, when the account uses one. */
  dapId?: number;
  /** Extra request headers (the proxy's credentials, ...). */
  headers?: Record<string, string>;
  /** Per-request timeout in ms. Default 10 000. */
  timeoutMs?: number;
  /** Largest response accepted, in bytes. Default 1 MiB. */
  maxResponseBytes?: number;
  /** Most entries accepted in any one array of a document. Default 1 000. */
  maxEntries?: number;
  /** DIDs served at `/1.0/testIdentifiers`. Default: the specification's example DID when `baseUrl` is set. */
  testIdentifiers?: string[];
}

const TRAITS: MethodTraits = {
  updatable: false,
  deactivatable: true,
  enumerable: false,
  historyAvailable: false,
  humanReadable: false,
};

const SPEC_DID = 'did:tdid:cb534-15:0x1e7115081c178459be8d3844dd129b2234edc6be';

function readConfig(config: TdidAdapterConfig | undefined) {
  const cfg = config ?? {};
  if (cfg === null || typeof cfg !== 'object' || Array.isArray(cfg)) throw new TypeError('"config" must be an object');
  const baseUrl = cfg.baseUrl === undefined ? undefined : readBaseUrl(cfg.baseUrl, 'baseUrl');
  if (cfg.region !== undefined && (typeof cfg.region !== 'string' || !/^[a-z0-9-]{1,40}$/.test(cfg.region))) {
    throw new TypeError(`"region" must be a Tencent Cloud region such as ap-guangzhou, got ${JSON.stringify(cfg.region)}`);
  }
  if (cfg.dapId !== undefined && (!Number.isSafeInteger(cfg.dapId) || cfg.dapId < 0)) {
    throw new TypeError(`"dapId" must be a non-negative integer, got ${JSON.stringify(cfg.dapId)}`);
  }
  let testIdentifiers: string[] | undefined;
  if (cfg.testIdentifiers !== undefined) {
    if (!Array.isArray(cfg.testIdentifiers) || cfg.testIdentifiers.some((d) => typeof d !== 'string' || !TDID_DID_PATTERN.test(d))) {
      throw new TypeError('"testIdentifiers" must be an array of did:tdid DIDs');
    }
    testIdentifiers = [...cfg.testIdentifiers];
  }
  return {
    baseUrl,
    region: cfg.region,
    dapId: cfg.dapId,
    headers: readHeaders(cfg.headers, 'headers'),
    timeoutMs: readPositive(cfg.timeoutMs, 'timeoutMs', 10_000, 10 * 60_000),
    maxResponseBytes: readPositive(cfg.maxResponseBytes, 'maxResponseBytes', 1024 * 1024, 256 * 1024 * 1024),
    maxEntries: Math.floor(readPositive(cfg.maxEntries, 'maxEntries', DEFAULT_MAX_ENTRIES, 1_000_000)),
    testIdentifiers: testIdentifiers ?? (baseUrl === undefined ? [] : [SPEC_DID]),
  };
}

/**
 * Creates the did:tdid adapter.
 * @throws TypeError for a malformed configuration
 * @example createTdidAdapter({ baseUrl: 'https://tdid-proxy.internal.example', region: 'ap-guangzhou' })
 */
export function createTdidAdapter(config?: TdidAdapterConfig): MethodAdapter {
  const cfg = readConfig(config);
  const identifiers = new WeakMap<ParsedDid, TdidIdentifier>();
  const identify = (did: ParsedDid): TdidIdentifier => {
    const known = identifiers.get(did);
    if (known) return known;
    const id = parseTdidIdentifier(did);
    identifiers.set(did, id);
    return id;
  };
  const translate = (document: unknown): Translation => translateFamilyDocument(document, { method: 'tdid', maxEntries: cfg.maxEntries });

  return {
    id: 'tdid',
    methods: ['tdid'],
    identifierPattern: TDID_DID_PATTERN,
    traits: TRAITS,
    capabilities: { cacheable: true, versionId: false, versionTime: false },
    testIdentifiers: () => cfg.testIdentifiers,
    validate(did: ParsedDid): void {
      identify(did);
    },
    async resolve(did: ParsedDid, _options: ResolutionOptions, context: AdapterContext): Promise<MethodResolution> {
      const id = identify(did);
      if (cfg.baseUrl === undefined) {
        throw new MethodNotSupportedError('no did:tdid upstream is configured (set "baseUrl" to a GetTDidDocument endpoint; the Tencent Cloud API needs a signing proxy)');
      }
      const canonical = `did:tdid:${id.routerId}:${id.address}`;
      const upstream = `the TDID upstream at ${new URL(cfg.baseUrl).host}`;
      const res = await context.http.request(`${cfg.baseUrl}/`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json; charset=utf-8',
          accept: 'application/json',
          'x-tc-action': TDID_ACTION,
          'x-tc-version': TDID_API_VERSION,
          // Tencent Cloud API 3.0 requires a timestamp header; the signing proxy replaces it with its own if it signs.
          'x-tc-timestamp': String(Math.floor(context.now().getTime() / 1000)),
          ...(cfg.region === undefined ? {} : { 'x-tc-region': cfg.region }),
          ...cfg.headers,
        },
        body: JSON.stringify(getDocumentRequestBody(canonical, cfg.dapId)),
        timeoutMs: cfg.timeoutMs,
        maxBytes: cfg.maxResponseBytes,
        ...(context.signal ? { signal: context.signal } : {}),
      });
      const { document, requestId } = readGetDocumentResponse(res, { upstream, did: canonical });
      let docId: TdidIdentifier | undefined;
      try {
        docId = typeof document.id === 'string' ? parseTdidIdentifier(document.id) : undefined;
      } catch {
        docId = undefined;
      }
      if (!docId || docId.address !== id.address || docId.routerId !== id.routerId) {
        throw new UpstreamError(`${upstream} answered the document of ${JSON.stringify(typeof document.id === 'string' ? document.id.slice(0, 100) : document.id ?? null)} when asked for ${canonical}`);
      }
      let translation: Translation;
      try {
        translation = translate(document);
      } catch (err) {
        if (err instanceof DidBridgeError) throw new InvalidDidDocumentError(`${upstream} answered a document that cannot be read: ${err.message}`, { cause: err });
        throw err;
      }
      const didDocumentMetadata = { ...translation.didDocumentMetadata };
      if (translation.preserved) didDocumentMetadata[PRESERVED_MEMBER] = wrapPreserved(translation.preserved as JsonObject);
      if (document.id !== did.did) didDocumentMetadata.canonicalId = document.id as string;
      return {
        didDocument: translation.didDocument,
        didDocumentMetadata,
        changes: translation.changes,
        original: document,
        ...(requestId === undefined ? {} : { resolutionMetadata: { upstreamRequestId: requestId } }),
      };
    },
    recognise(input: unknown): boolean {
      return isFamilyDocument(input, 'tdid');
    },
    translate,
    renderers: [createFamilyRenderer({ shape: 'tdid', maxEntries: cfg.maxEntries })],
  };
}
