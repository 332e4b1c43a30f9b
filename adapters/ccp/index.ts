/**
 * The did:ccp adapter (Baidu): resolution through the Baidu DID resolver's HTTP API and translation of its
 * pre-DID-Core documents into W3C DID Core (with reverse translation into the did:ccp shape).
 *
 * Upstream (did.baidu.com/did-resolver-api/, domestic-methods.md §7): `GET {baseUrl}/v1/did/resolve/{did}` with
 * `?versionId=` for a version, answering in HTTP 200:
 *
 * | body | outcome |
 * |---|---|
 * | `{code: 0, message: "ok", requestID, content: {didDocument}}` | the translated document |
 * | the same with `content.didDocumentMetadata.deactivated: true` (or `deactivated: true` in the document) | deactivated: `deactivated: true`, no document |
 * | a non-zero `code` listed in `notFoundCodes`, or whose `message` says "not found" / "not exist" / 不存在 | NOT_FOUND |
 * | any other non-zero `code` | INTERNAL_ERROR naming the code and message |
 * | not JSON, no numeric `code`, `code: 0` without `content.didDocument`, HTTP 4xx/5xx without an envelope | INTERNAL_ERROR naming the upstream and what was wrong |
 *
 * Baidu publishes no error-code table and does not show how its resolver reports a deactivated DID. The mapping
 * above is therefore partly an assumption: `notFoundCodes` lets a deployment list the codes it knows, and the
 * deactivation signal follows DID Resolution (the API page says it follows "W3C Resolving a DID" and offers a
 * `resolution-result` result type). The sandbox emulator (`sandbox.ts`) answers the same way.
 *
 * `versionId` is passed through as the API's `versionId` query parameter; did:ccp versions are the document's
 * integer `version`, so other values are INVALID_OPTIONS before any request. Identifiers are checked (pattern and
 * 20-byte digest) before any request too.
 *
 * @see https://did.baidu.com/did-spec/
 * @see http://did.baidu.com/did-resolver-api/
 */
import type { AdapterContext, MethodAdapter, MethodResolution } from '../../src/adapter.js';
import { InvalidOptionsError, NotFoundError, UpstreamError } from '../../src/errors.js';
import type { JsonValue, MethodTraits, ResolutionOptions } from '../../src/spec.js';
import type { ParsedDid } from '../../src/syntax/did-url.js';
import { CCP_DID_PATTERN, validateCcpDid } from './identifier.js';
import { envelopeMember, isJsonObject, kindOf } from './shared/json.js';
import { readMaxEntries } from './shared/translate.js';
import { callUpstream, checkUpstreamConfig, NOT_FOUND_MESSAGE, unexpectedAnswer, type UpstreamConfig } from './shared/upstream.js';
import { ccpRenderer, recogniseCcpDocument, renderCcpDocument, translateCcp, translateCcpDocument } from './translate.js';

export { CCP_DID_PATTERN, validateCcpDid } from './identifier.js';
export {
  CCP_PROFILE,
  CCP_SHAPE,
  CCP_NATIVE_CONTEXT,
  ccpRenderer,
  deriveBaseDocumentDid,
  recogniseCcpDocument,
  renderCcpDocument,
  translateCcpDocument,
  unwrapCcpDocument,
} from './translate.js';
export { ccpEmulator, ccpSeedDocument, CCP_SANDBOX_ERRORS, CCP_UPSTREAM_FIXTURES_DIR } from './sandbox.js';
export type { UpstreamConfig } from './shared/upstream.js';

/** The public Baidu DID resolver (did.baidu.com/did-resolver-api/; the Universal Resolver driver's upstream). */
export const CCP_DEFAULT_BASE_URL = 'https://did.baidu.com';

/** The Universal Resolver's test identifiers for did:ccp (`universal-resolver@a234941`). */
export const CCP_TEST_IDENTIFIERS: readonly string[] = ['did:ccp:ceNobbK6Me9F5zwyE3MKY88QZLw', 'did:ccp:3CzQLF3qfFVQ1CjGVzVRZaFXrjAd'];

/** The upstream's name in error details. */
const UPSTREAM = 'the Baidu DID resolver';

/** did:ccp versions are the document's integer `version` (the resolve example shows `"version": 2`). */
const VERSION_ID = /^[1-9][0-9]{0,14}$/;

/** Configuration of the did:ccp adapter (every member optional). */
export interface CcpAdapterConfig extends UpstreamConfig {
  /** Non-zero `code` values that mean "no such DID" in this deployment (Baidu publishes none). Default none. */
  notFoundCodes?: readonly number[];
  /** Most entries read from any list of a document (keys, relationships, services). Default 256. */
  maxEntries?: number;
  /** DIDs that resolve in this deployment (`/1.0/testIdentifiers`). Default {@link CCP_TEST_IDENTIFIERS}. */
  testIdentifiers?: readonly string[];
}

/** The settings {@link createCcpAdapter} reads. */
export const CCP_ADAPTER_SETTINGS: readonly string[] = ['baseUrl', 'timeoutMs', 'headers', 'maxBytes', 'maxEntries', 'notFoundCodes', 'testIdentifiers'];

const TRAITS: MethodTraits = {
  updatable: true,
  deactivatable: true,
  enumerable: false,
  historyAvailable: true,
  humanReadable: false,
};

/** The envelope `code`: a number, or a number written as a string; undefined when it is neither. */
function readCode(value: JsonValue | undefined): number | undefined {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
  if (typeof value === 'string' && /^-?\d{1,15}$/.test(value.trim())) return Number(value.trim());
  return undefined;
}

/**
 * Creates the did:ccp adapter.
 *
 * @param config see {@link CcpAdapterConfig}
 * @throws TypeError for a malformed `config`, naming the setting
 * @example
 * const resolver = new Resolver({ adapters: [createCcpAdapter({ baseUrl: 'http://127.0.0.1:8080/ccp' })] })
 * await resolver.resolve('did:ccp:ceNobbK6Me9F5zwyE3MKY88QZLw')
 */
export function createCcpAdapter(config: CcpAdapterConfig = {}): MethodAdapter {
  if (config === null || typeof config !== 'object' || Array.isArray(config)) throw new TypeError('"config" must be an object');
  const unknown = Object.keys(config).filter((name) => !CCP_ADAPTER_SETTINGS.includes(name));
  if (unknown.length > 0) {
    throw new TypeError(`unknown did:ccp adapter setting ${unknown.map((n) => `"${n}"`).join(', ')}; known: ${CCP_ADAPTER_SETTINGS.join(', ')}`);
  }
  const maxEntries = readMaxEntries(config.maxEntries);
  const upstream = checkUpstreamConfig(config, CCP_DEFAULT_BASE_URL);
  const notFoundCodes = config.notFoundCodes ?? [];
  if (!Array.isArray(notFoundCodes) || notFoundCodes.some((c) => !Number.isSafeInteger(c) || c === 0)) {
    throw new TypeError('"notFoundCodes" must be an array of non-zero integers');
  }
  const testIdentifiers = [...(config.testIdentifiers ?? CCP_TEST_IDENTIFIERS)];
  for (const did of testIdentifiers) {
    if (typeof did !== 'string' || !CCP_DID_PATTERN.test(did)) throw new TypeError(`"testIdentifiers" contains ${JSON.stringify(did)}, which is not a did:ccp DID`);
  }

  return {
    id: 'ccp',
    methods: ['ccp'],
    identifierPattern: CCP_DID_PATTERN,
    traits: TRAITS,
    capabilities: { versionId: true, cacheable: true },
    testIdentifiers: () => testIdentifiers,
    validate(did: ParsedDid): void {
      validateCcpDid(did);
    },
    recognise: recogniseCcpDocument,
    translate: translateCcp,
    // The renderer translates the carried native document again, under this adapter's limit: a document the adapter
    // resolved renders back.
    renderers: [{ shape: ccpRenderer.shape, render: (document, metadata) => renderCcpDocument(document, metadata, { maxEntries }) }],

    async resolve(did: ParsedDid, options: ResolutionOptions, context: AdapterContext): Promise<MethodResolution> {
      validateCcpDid(did);
      const versionId = options.versionId;
      if (versionId !== undefined && (typeof versionId !== 'string' || !VERSION_ID.test(versionId))) {
        throw new InvalidOptionsError(`did:ccp versions are positive integers (the document's "version"), got ${JSON.stringify(versionId)}`);
      }
      const url = `${upstream.baseUrl}/v1/did/resolve/${did.did}${versionId === undefined ? '' : `?versionId=${versionId}`}`;
      const answer = await callUpstream(context, upstream, { url, method: 'GET', upstream: UPSTREAM });
      const envelope = answer.json;
      if (!isJsonObject(envelope)) throw unexpectedAnswer(UPSTREAM, answer, `${kindOf(envelope)} instead of the {code, message, content} envelope`);
      const code = readCode(envelopeMember(envelope, 'code'));
      if (code === undefined) {
        throw unexpectedAnswer(UPSTREAM, answer, `an envelope whose "code" is ${kindOf(envelopeMember(envelope, 'code'))}, not a number`);
      }
      const rawMessage = envelopeMember(envelope, 'message');
      const message = typeof rawMessage === 'string' ? rawMessage.slice(0, 200) : '';
      const requestId = envelopeMember(envelope, 'requestID');
      if (code !== 0) {
        if (notFoundCodes.includes(code) || NOT_FOUND_MESSAGE.test(message)) {
          throw new NotFoundError(`${UPSTREAM} has no ${versionId === undefined ? '' : `version ${versionId} of `}${did.did} (code ${code}${message ? `, "${message}"` : ''})`);
        }
        throw new UpstreamError(`${UPSTREAM} refused to resolve ${did.did}: code ${code}${message ? `, "${message}"` : ''}`, {
          extensions: { reason: 'upstream-error', upstreamCode: code },
        });
      }
      if (answer.status < 200 || answer.status > 299) throw unexpectedAnswer(UPSTREAM, answer, 'a success envelope');
      const content = envelopeMember(envelope, 'content');
      const document = isJsonObject(content) ? envelopeMember(content, 'didDocument') : undefined;
      if (!isJsonObject(document)) {
        throw unexpectedAnswer(UPSTREAM, answer, `code 0 but content.didDocument is ${kindOf(document)}, not a document`);
      }
      const translation = translateCcpDocument(document, { expectedDid: did.did, maxEntries });
      const resolutionMetadata = envelopeMember(content as Record<string, JsonValue>, 'didDocumentMetadata');
      const deactivated = (isJsonObject(resolutionMetadata) && resolutionMetadata.deactivated === true) || document.deactivated === true;
      return {
        didDocument: translation.didDocument,
        didDocumentMetadata: { ...translation.didDocumentMetadata, ...(deactivated ? { deactivated: true } : {}) },
        changes: translation.changes,
        original: document,
        resolutionMetadata: typeof requestId === 'string' && requestId !== '' ? { requestId } : {},
      };
    },
  };
}
