/**
 * The did:vaa adapter (CAICT, BIF; domestic-methods.md §9): RSA documents with `publicKeyPem`, resolved through
 * either of the two published read APIs and translated into W3C DID Core.
 *
 * | `apiStyle` | request | answer | default base URL |
 * |---|---|---|---|
 * | `driver` (default) | `GET {baseUrl}/v1/did/resolve?didname={did}` | `{resCode, data}` (the document, or `{didDocument}`; the Universal Resolver driver's code reads a top-level `didDocument`, also accepted) | `http://www.citln.cn/vaa-resolver`, the driver's `DEFAULT_VAA_URL` |
 * | `spec` | `GET {baseUrl}/{did}` | `{responseCode, id, document}` (vaa-method README, Read) | (set `baseUrl`) |
 *
 * | answer | outcome |
 * |---|---|
 * | code 0 with a document | the translated document; a document carrying `revoked` is deactivated |
 * | any other code | NOT_FOUND, as the only deployed client (the Universal Resolver driver) reads every non-zero `resCode` as "document not exist"; the code is named in the detail. No other code is documented. |
 * | HTTP 4xx/5xx, bodies that are not JSON, envelopes without a code or without a document | INTERNAL_ERROR naming the upstream |
 *
 * Identifiers: `did:vaa:` + 27-31 base58 (Bitcoin alphabet) characters encoding 20 bytes (§9). The contract forms of
 * the specification (`did:vaa:IDcontract1:86.100.1234/abcdfe.123`) contain `/`: the resolver treats them as DID URLs
 * and refuses to resolve them (INVALID_DID); `did:vaa:IDcontract1:86.100.1234` without a path is refused by the
 * pattern (INVALID_DID).
 *
 * @see https://github.com/caict-develop-zhangbo/vaa-method
 * @see ./translate.ts for the translation rules
 */
import type { AdapterContext, MethodAdapter, MethodResolution, Translation } from '../../src/adapter.js';
import { NotFoundError, UpstreamError } from '../../src/errors.js';
import { parseVaaIdentifier } from '../../src/keys/derive.js';
import type { MethodTraits, ResolutionOptions } from '../../src/spec.js';
import type { ParsedDid } from '../../src/syntax/did-url.js';
import { checkTestIdentifiers } from '../bid/index.js';
import { checkTranslationLimits, type TranslationLimits } from '../bid/limits.js';
import { MemberIndex, isJsonObject, kindOf } from '../bid/members.js';
import { readCode } from '../bid/services.js';
import { checkUpstreamConfig, getUpstream, type UpstreamAnswer, type UpstreamConfig } from '../bid/upstream.js';
import { recogniseVaaDocument, translateVaaDocument, translateVaaForAdapter, unwrapVaaDocument } from './translate.js';

export { translateVaaDocument, recogniseVaaDocument, unwrapVaaDocument, readVaaDatetime, VAA_SHAPE, type VaaTranslation, type VaaTranslateOptions } from './translate.js';

/** The did:vaa pattern (§9; the Universal Resolver driver's `DID_VAA_PATTERN`). */
export const VAA_DID_PATTERN = /^did:vaa:[1-9A-HJ-NP-Za-km-z]{27,31}$/;

/** The resolver the Universal Resolver driver calls (`DidVaaDriver.DEFAULT_VAA_URL`). */
export const VAA_DEFAULT_BASE_URL = 'http://www.citln.cn/vaa-resolver';

/** The Universal Resolver's test identifier for did:vaa (domestic-methods.md §12). */
export const VAA_TEST_IDENTIFIERS: readonly string[] = ['did:vaa:3wJVWDQWtDFx27FqvSqyo5xsTsxC'];

/** The two read APIs. */
export const VAA_API_STYLES = ['driver', 'spec'] as const;
export type VaaApiStyle = (typeof VAA_API_STYLES)[number];

/** Configuration of the did:vaa adapter (every member optional). */
export interface VaaAdapterConfig extends UpstreamConfig {
  /** Which read API `baseUrl` serves. Default `driver`. */
  apiStyle?: VaaApiStyle;
  /** DIDs that resolve in this deployment. Default {@link VAA_TEST_IDENTIFIERS}. */
  testIdentifiers?: readonly string[];
  /** Bounds on the lists a document may have; see `../bid/limits.ts`. */
  limits?: TranslationLimits;
}

const TRAITS: MethodTraits = {
  updatable: true,
  deactivatable: true,
  enumerable: false,
  historyAvailable: false,
  humanReadable: false,
};

/** The upstream URL of a DID for an API style. */
export function vaaUpstreamUrl(baseUrl: string, apiStyle: VaaApiStyle, did: string): string {
  return apiStyle === 'driver' ? `${baseUrl}/v1/did/resolve?didname=${encodeURIComponent(did)}` : `${baseUrl}/${did}`;
}

/** Maps a did:vaa read answer (either envelope) to a resolution. */
export function readVaaAnswer(answer: UpstreamAnswer, did: string, upstream: string, limits?: TranslationLimits): MethodResolution {
  const { json, status } = answer;
  if (status >= 400 || json === undefined) {
    throw new UpstreamError(
      status >= 400
        ? `${upstream} answered HTTP ${status}: ${JSON.stringify(answer.excerpt)}`
        : `${upstream} answered HTTP ${status} with a body that is not JSON (${answer.parseError}): ${JSON.stringify(answer.excerpt)}`,
      { extensions: { reason: status >= 400 ? 'upstream-status' : 'not-json', status } },
    );
  }
  if (!isJsonObject(json)) {
    throw new UpstreamError(`${upstream} answered ${kindOf(json)} instead of a {responseCode, document} or {resCode, data} envelope`, {
      extensions: { reason: 'unexpected-envelope', status },
    });
  }
  const envelope = new MemberIndex(json, { ignoreCase: true });
  const codeMember = envelope.get('resCode') ?? envelope.get('responseCode');
  const code = codeMember ? readCode(codeMember.value) : undefined;
  if (code === undefined) {
    throw new UpstreamError(`${upstream} answered without a numeric resCode / responseCode: ${JSON.stringify(answer.excerpt)}`, {
      extensions: { reason: 'unexpected-envelope', status },
    });
  }
  const message = ['message', 'msg', 'resMsg'].map((n) => envelope.value(n)).find((v): v is string => typeof v === 'string');
  if (code !== 0) {
    throw new NotFoundError(`${did} is not registered: ${upstream} answered ${codeMember!.name.trim()} ${code}${message ? ` (${message.trim().slice(0, 200)})` : ''}`);
  }
  const document = unwrapVaaDocument(json);
  if (!document) {
    const carried = ['document', 'data', 'didDocument'].map((n) => envelope.get(n)).find((m) => m !== undefined)?.value;
    throw new UpstreamError(`${upstream} answered code 0 without a did:vaa document (found ${kindOf(carried)})`, {
      extensions: { reason: 'unexpected-envelope', status },
    });
  }
  const translation = translateVaaDocument(document, { expectedDid: did, ...(limits ? { limits } : {}) });
  return {
    didDocument: translation.revoked ? null : translation.didDocument,
    didDocumentMetadata: translation.didDocumentMetadata,
    changes: translation.changes,
    original: document,
  };
}

/** Validates a did:vaa DID (pattern and 20-byte decode). @throws InvalidDidError */
export function validateVaaDid(did: string | ParsedDid): void {
  parseVaaIdentifier(did);
}

/**
 * Creates the did:vaa adapter.
 * @param config see {@link VaaAdapterConfig}
 * @throws TypeError for malformed settings (naming the setting)
 * @example
 * const adapter = createVaaAdapter({ baseUrl: 'http://localhost:8080', apiStyle: 'spec' })
 */
export function createVaaAdapter(config: VaaAdapterConfig = {}): MethodAdapter {
  const upstreamConfig = checkUpstreamConfig(config, VAA_DEFAULT_BASE_URL);
  const limits = checkTranslationLimits(config.limits);
  const apiStyle = config.apiStyle ?? 'driver';
  if (!VAA_API_STYLES.includes(apiStyle)) {
    throw new TypeError(`"apiStyle" must be one of ${VAA_API_STYLES.join(', ')}, got ${JSON.stringify(apiStyle)}`);
  }
  const testIdentifiers = checkTestIdentifiers(config.testIdentifiers, VAA_TEST_IDENTIFIERS, (did) => {
    if (!VAA_DID_PATTERN.test(did)) throw new TypeError('not a did:vaa identifier');
    validateVaaDid(did);
  });
  const upstream = `the did:vaa resolver at ${new URL(upstreamConfig.baseUrl).host}`;
  return {
    id: 'vaa',
    methods: ['vaa'],
    identifierPattern: VAA_DID_PATTERN,
    traits: TRAITS,
    capabilities: { cacheable: true },
    testIdentifiers: () => testIdentifiers,
    validate: validateVaaDid,
    async resolve(did: ParsedDid, _options: ResolutionOptions, context: AdapterContext): Promise<MethodResolution> {
      validateVaaDid(did);
      const answer = await getUpstream(context, vaaUpstreamUrl(upstreamConfig.baseUrl, apiStyle, did.did), upstreamConfig, upstream);
      return readVaaAnswer(answer, did.did, upstream, limits);
    },
    recognise: recogniseVaaDocument,
    translate: (input: unknown): Translation => translateVaaForAdapter(input, limits),
  };
}
