/**
 * The did:bid adapter (CAICT / teleinfo, Xinghuo BIF): resolution through a BID resolver's HTTP API and translation
 * of BID documents into W3C DID Core, with reverse translation into the BID shape.
 *
 * Upstream (BID Protocol Specification v2.0.0 §5.3; domestic-methods.md §4.5): `GET {baseUrl}/{did}` answers, in
 * HTTP 200,
 *
 * | body | outcome |
 * |---|---|
 * | `{errorCode: 0, message, data: {didDocument}}` | the translated document (`ttlSeconds` from `extension.ttl`) |
 * | `{errorCode: 0, …, data: {didDocument: <empty>}}` | deactivated (§5.4: "Revoked BID documentation is empty, not deleted") |
 * | `{errorCode: 6, message: "not found"}` | NOT_FOUND |
 * | any other `errorCode` | INTERNAL_ERROR naming the code and message |
 * | not JSON, no `errorCode`, no `data.didDocument`, HTTP 4xx/5xx without an envelope | INTERNAL_ERROR naming the upstream and what was wrong |
 *
 * Envelope member names are matched ignoring case and surrounding whitespace, and a duplicated `message` (sample 05)
 * is harmless. The identifier is checked (pattern and 22-byte suffix) before any request; the bare sub-chain form
 * `did:bid:<acsn>` is sent upstream (see `identifier.ts`).
 *
 * @see https://github.com/teleinfo-bif/bid (doc/en/BID Protocol Specification.md, commit 19496d1)
 * @see ./translate.ts for the translation rules, ./render.ts for reverse translation
 */
import type { AdapterContext, MethodAdapter, MethodResolution, Translation } from '../../src/adapter.js';
import { NotFoundError, UpstreamError } from '../../src/errors.js';
import type { MethodTraits, ResolutionOptions } from '../../src/spec.js';
import type { ParsedDid } from '../../src/syntax/did-url.js';
import { BID_DID_PATTERN, validateBifDid } from './identifier.js';
import { checkTranslationLimits, type TranslationLimits } from './limits.js';
import { MemberIndex, isJsonObject, kindOf } from './members.js';
import { bidRenderer, createBifRenderer } from './render.js';
import { bifResolution } from './resolution.js';
import { readCode } from './services.js';
import { recogniseBifDocument, translateBifForAdapter } from './translate.js';
import { checkUpstreamConfig, getUpstream, type UpstreamAnswer, type UpstreamConfig } from './upstream.js';

export { BID_DID_PATTERN, bifIdentifierPattern, validateBifDid, type BifMethod } from './identifier.js';
export { bidRenderer, createBifRenderer, relevanceTypeOf, BID_KEY_TYPE_NAMES, BID_RELEVANCE_TYPES, type BifRendererOptions } from './render.js';
export { translateBifDocument, recogniseBifDocument, unwrapBifDocument, isEmptyBifDocument, BIF_SHAPE, LEGACY_DID_CONTEXTS, type BifTranslation, type BifTranslateOptions } from './translate.js';
export { PRESERVED_METADATA_MEMBER, preservedFromMetadata, preservedToMetadata } from './preserved.js';
export type { UpstreamConfig } from './upstream.js';
export { TRANSLATION_LIMIT_DEFAULTS, type TranslationLimits } from './limits.js';

/** The public BID resolver the Universal Resolver driver uses (`uni-resolver-driver-did-bid@5a93365`, `BidUrl`). */
export const BID_DEFAULT_BASE_URL = 'https://bidresolver.bitfactory.cn';

/** The Universal Resolver's test identifier for did:bid (`universal-resolver@a234941`, docs §12). */
export const BID_TEST_IDENTIFIERS: readonly string[] = ['did:bid:ef214PmkhKndUcArDQPgD5J4fFVwqJFPt'];

/** `errorCode` of a BID read for an unknown DID (§5.3, sample 06). */
export const BID_ERROR_NOT_FOUND = 6;

/** Configuration of the did:bid adapter (every member optional). */
export interface BidAdapterConfig extends UpstreamConfig {
  /** DIDs that resolve in this deployment (`/1.0/testIdentifiers`). Default {@link BID_TEST_IDENTIFIERS}. */
  testIdentifiers?: readonly string[];
  /** Bounds on the lists a document may have (verification methods, relationships, services); see `limits.ts`. */
  limits?: TranslationLimits;
}

const TRAITS: MethodTraits = {
  updatable: true,
  deactivatable: true,
  enumerable: false,
  historyAvailable: false,
  humanReadable: false,
};

/** Checks a `testIdentifiers` setting against a method's validator. */
export function checkTestIdentifiers(value: unknown, fallback: readonly string[], check: (did: string) => void): readonly string[] {
  if (value === undefined) return fallback;
  if (!Array.isArray(value) || value.some((d) => typeof d !== 'string')) throw new TypeError('"testIdentifiers" must be an array of DIDs');
  for (const did of value as string[]) {
    try {
      check(did);
    } catch (err) {
      throw new TypeError(`"testIdentifiers" contains ${JSON.stringify(did)}: ${(err as Error).message}`);
    }
  }
  return [...(value as string[])];
}

/** Maps a BID resolver answer to a resolution (see the table in the module comment). */
export function readBidAnswer(answer: UpstreamAnswer, did: string, upstream: string, limits?: TranslationLimits): MethodResolution {
  const { status, json } = answer;
  if (json === undefined) {
    throw new UpstreamError(
      status >= 400
        ? `${upstream} answered HTTP ${status}: ${JSON.stringify(answer.excerpt)}`
        : `${upstream} answered HTTP ${status} with a body that is not JSON (${answer.parseError}): ${JSON.stringify(answer.excerpt)}`,
      { extensions: { reason: status >= 400 ? 'upstream-status' : 'not-json', status } },
    );
  }
  if (!isJsonObject(json)) {
    throw new UpstreamError(`${upstream} answered ${kindOf(json)} instead of the {errorCode, message, data} envelope`, {
      extensions: { reason: 'unexpected-envelope', status },
    });
  }
  const envelope = new MemberIndex(json, { ignoreCase: true });
  const code = readCode(envelope.value('errorCode'));
  const rawMessage = envelope.value('message');
  const message = typeof rawMessage === 'string' ? rawMessage.trim().slice(0, 200) : undefined;
  if (code === undefined) {
    throw new UpstreamError(
      `${upstream} answered HTTP ${status} without a numeric errorCode (not the BID read envelope): ${JSON.stringify(answer.excerpt)}`,
      { extensions: { reason: status >= 400 ? 'upstream-status' : 'unexpected-envelope', status } },
    );
  }
  if (code === BID_ERROR_NOT_FOUND) {
    throw new NotFoundError(`${did} is not registered: ${upstream} answered errorCode 6${message ? ` (${message})` : ''}`);
  }
  if (code !== 0) {
    throw new UpstreamError(`${upstream} answered errorCode ${code}${message ? ` (${message})` : ''}`, {
      extensions: { reason: 'upstream-error-code', upstreamErrorCode: code, status },
    });
  }
  if (status >= 400) {
    throw new UpstreamError(`${upstream} answered HTTP ${status} with errorCode 0`, { extensions: { reason: 'upstream-status', status } });
  }
  const data = envelope.value('data');
  const hasDocument = isJsonObject(data) && new MemberIndex(data, { ignoreCase: true }).get('didDocument') !== undefined;
  if (!hasDocument) {
    throw new UpstreamError(`${upstream} answered errorCode 0 without data.didDocument (data is ${kindOf(data)})`, {
      extensions: { reason: 'unexpected-envelope', status },
    });
  }
  return bifResolution(new MemberIndex(data as Record<string, never>, { ignoreCase: true }).value('didDocument'), did, 'bid', upstream, limits);
}

/**
 * Creates the did:bid adapter.
 *
 * @param config see {@link BidAdapterConfig}; `baseUrl` defaults to {@link BID_DEFAULT_BASE_URL}
 * @throws TypeError for malformed settings (naming the setting)
 * @example
 * const resolver = new Resolver({ adapters: [createBidAdapter({ baseUrl: 'http://test-bidresolver.bitfactory.cn' })] })
 * await resolver.resolve('did:bid:efnVUgqQFfYeu97ABf6sGm3WFtVXHZB2')
 * @see https://w3c.github.io/did-resolution/#resolving-algorithm
 */
export function createBidAdapter(config: BidAdapterConfig = {}): MethodAdapter {
  const upstreamConfig = checkUpstreamConfig(config, BID_DEFAULT_BASE_URL);
  const limits = checkTranslationLimits(config.limits);
  const testIdentifiers = checkTestIdentifiers(config.testIdentifiers, BID_TEST_IDENTIFIERS, (did) => {
    if (!BID_DID_PATTERN.test(did)) throw new TypeError('not a did:bid identifier');
    validateBifDid(did, 'bid');
  });
  const upstream = `the did:bid resolver at ${new URL(upstreamConfig.baseUrl).host}`;
  return {
    id: 'bid',
    methods: ['bid'],
    identifierPattern: BID_DID_PATTERN,
    traits: TRAITS,
    capabilities: { cacheable: true },
    testIdentifiers: () => testIdentifiers,
    validate(did: ParsedDid): void {
      validateBifDid(did, 'bid');
    },
    async resolve(did: ParsedDid, _options: ResolutionOptions, context: AdapterContext): Promise<MethodResolution> {
      validateBifDid(did, 'bid');
      // DIDs are base58 and ':' only (checked above), all legal in a path segment.
      const answer = await getUpstream(context, `${upstreamConfig.baseUrl}/${did.did}`, upstreamConfig, upstream);
      return readBidAnswer(answer, did.did, upstream, limits);
    },
    recognise: (input: unknown) => recogniseBifDocument(input, 'bid'),
    translate: (input: unknown): Translation => translateBifForAdapter(input, 'bid', limits),
    // The renderer translates carried documents again, under the limits this adapter translated them with.
    renderers: [config.limits === undefined ? bidRenderer : createBifRenderer({ method: 'bid', limits })],
  };
}
