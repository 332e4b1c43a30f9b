/**
 * The did:ctid adapter (Anicert / MPS First Research Institute): resolution through a CTID DID service's HTTP API
 * and translation of its documents (SM2 keys embedded in `authentication`, an operator proof) into W3C DID Core,
 * with reverse translation into the did:ctid shape.
 *
 * Upstream (anicert-ctid-did-en.md §Read; domestic-methods.md §8): `POST {baseUrl}/didservice/v1/did/get` with the
 * JSON body `{"did": "<did>"}`, answering
 *
 * | body | outcome |
 * |---|---|
 * | `{code: "200", msg, txid, blockHeight, doc}` | the translated document; `txid` and `blockHeight` in the resolution metadata |
 * | the same with `doc.revoked` set (§Delete: "An invalid DID has its revoked date time set") | deactivated: `deactivated: true`, no document |
 * | a `code` listed in `notFoundCodes` (default `"404"`), or a `msg` saying "not found" / "not exist" / 不存在 | NOT_FOUND |
 * | any other `code` | INTERNAL_ERROR naming the code and message |
 * | not JSON, no `code`, `code "200"` without a `doc` object, HTTP 4xx/5xx without an envelope | INTERNAL_ERROR naming the upstream and what was wrong |
 *
 * `code` is a string that reads like an HTTP status (`"200"`); numbers are accepted too. The specification shows
 * only the success envelope, so reading `"404"` as "no such DID" is an assumption a deployment can change with
 * `notFoundCodes`. Anicert publishes no host: without `baseUrl` the adapter still validates identifiers, and
 * answers valid ones with METHOD_NOT_SUPPORTED naming the missing setting.
 *
 * **Privacy.** did:ctid identifiers are SM3 digests of a natural person's identity attributes: correlatable
 * personal data (see `identifier.ts`). The adapter sends only the DID upstream and logs nothing about it.
 *
 * @see https://github.com/617640999/ctid-did-register/blob/56a64a18fe3e368a5a808cbd743295756d0ab236/anicert-ctid-did-en.md
 */
import type { AdapterContext, MethodAdapter, MethodResolution } from '../../src/adapter.js';
import { MethodNotSupportedError, NotFoundError, UpstreamError } from '../../src/errors.js';
import type { JsonValue, MethodTraits, ResolutionOptions } from '../../src/spec.js';
import type { ParsedDid } from '../../src/syntax/did-url.js';
import { envelopeMember, isJsonObject, kindOf } from '../ccp/shared/json.js';
import { readMaxEntries } from '../ccp/shared/translate.js';
import { callUpstream, checkUpstreamConfig, NOT_FOUND_MESSAGE, unexpectedAnswer, type UpstreamConfig } from '../ccp/shared/upstream.js';
import { CTID_DID_PATTERN, validateCtidDid } from './identifier.js';
import { ctidRenderer, recogniseCtidDocument, renderCtidDocument, translateCtid, translateCtidDocument } from './translate.js';

export { CTID_DID_PATTERN, validateCtidDid } from './identifier.js';
export {
  CTID_KEY_TYPE,
  CTID_PROFILE,
  CTID_SHAPE,
  ctidRenderer,
  recogniseCtidDocument,
  renderCtidDocument,
  translateCtidDocument,
  unwrapCtidDocument,
} from './translate.js';
export { ctidEmulator, CTID_SANDBOX_ERRORS, CTID_SANDBOX_OPERATOR_PUBLIC_KEY, CTID_UPSTREAM_FIXTURES_DIR } from './sandbox.js';
export type { UpstreamConfig } from '../ccp/shared/upstream.js';

/** The path of the read operation below the base URL (§Read). */
export const CTID_READ_PATH = '/didservice/v1/did/get';

/** The upstream's `code` for success: a string (§Read example). */
export const CTID_SUCCESS_CODE = '200';

/** The upstream's name in error details. */
const UPSTREAM = 'the CTID DID service';

/** Configuration of the did:ctid adapter (every member optional; without `baseUrl` nothing resolves). */
export interface CtidAdapterConfig extends UpstreamConfig {
  /** `code` values that mean "no such DID". Default `["404"]` (an assumption; the specification shows none). */
  notFoundCodes?: readonly string[];
  /** Most entries read from any list of a document (keys, relationships, services). Default 256. */
  maxEntries?: number;
  /** DIDs that resolve in this deployment (`/1.0/testIdentifiers`). Default none: there is no public service. */
  testIdentifiers?: readonly string[];
}

/** The settings {@link createCtidAdapter} reads. */
export const CTID_ADAPTER_SETTINGS: readonly string[] = ['baseUrl', 'timeoutMs', 'headers', 'maxBytes', 'maxEntries', 'notFoundCodes', 'testIdentifiers'];

const TRAITS: MethodTraits = {
  updatable: true,
  deactivatable: true,
  enumerable: false,
  historyAvailable: false,
  humanReadable: false,
};

/** The envelope `code` as text (`"200"`, or `200` written as a number); undefined when it is neither. */
function readCode(value: JsonValue | undefined): string | undefined {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  if (typeof value === 'string' && /^[A-Za-z0-9._-]{1,32}$/.test(value.trim())) return value.trim();
  return undefined;
}

/**
 * Creates the did:ctid adapter.
 *
 * @param config see {@link CtidAdapterConfig}
 * @throws TypeError for a malformed `config`, naming the setting
 * @example
 * const resolver = new Resolver({ adapters: [createCtidAdapter({ baseUrl: 'https://ctid.example.cn' })] })
 * await resolver.resolve('did:ctid:16D44117484372A2D010BDAA56703E723FB4C5C06CA44105F0C9C5B8020A7073')
 */
export function createCtidAdapter(config: CtidAdapterConfig = {}): MethodAdapter {
  if (config === null || typeof config !== 'object' || Array.isArray(config)) throw new TypeError('"config" must be an object');
  const unknown = Object.keys(config).filter((name) => !CTID_ADAPTER_SETTINGS.includes(name));
  if (unknown.length > 0) {
    throw new TypeError(`unknown did:ctid adapter setting ${unknown.map((n) => `"${n}"`).join(', ')}; known: ${CTID_ADAPTER_SETTINGS.join(', ')}`);
  }
  const maxEntries = readMaxEntries(config.maxEntries);
  const upstream = checkUpstreamConfig(config, undefined);
  const notFoundCodes = [...(config.notFoundCodes ?? ['404'])];
  if (notFoundCodes.some((c) => typeof c !== 'string' || c === CTID_SUCCESS_CODE)) {
    throw new TypeError(`"notFoundCodes" must be an array of code strings other than "${CTID_SUCCESS_CODE}"`);
  }
  const testIdentifiers = [...(config.testIdentifiers ?? [])];
  for (const did of testIdentifiers) {
    if (typeof did !== 'string' || !CTID_DID_PATTERN.test(did)) throw new TypeError(`"testIdentifiers" contains ${JSON.stringify(did)}, which is not a did:ctid DID`);
  }

  return {
    id: 'ctid',
    methods: ['ctid'],
    identifierPattern: CTID_DID_PATTERN,
    traits: TRAITS,
    capabilities: { cacheable: true },
    testIdentifiers: () => testIdentifiers,
    validate(did: ParsedDid): void {
      validateCtidDid(did);
    },
    recognise: recogniseCtidDocument,
    translate: translateCtid,
    // The renderer translates the carried native document again, under this adapter's limit: a document the adapter
    // resolved renders back.
    renderers: [{ shape: ctidRenderer.shape, render: (document, metadata) => renderCtidDocument(document, metadata, { maxEntries }) }],

    async resolve(did: ParsedDid, _options: ResolutionOptions, context: AdapterContext): Promise<MethodResolution> {
      validateCtidDid(did);
      if (upstream.baseUrl === undefined) {
        throw new MethodNotSupportedError(
          'did:ctid resolution needs the CTID DID service of this deployment: set the adapter\'s "baseUrl" (Anicert publishes no public host, domestic-methods.md §8)',
        );
      }
      const answer = await callUpstream(context, upstream, {
        url: `${upstream.baseUrl}${CTID_READ_PATH}`,
        method: 'POST',
        body: { did: did.did },
        upstream: UPSTREAM,
      });
      const envelope = answer.json;
      if (!isJsonObject(envelope)) throw unexpectedAnswer(UPSTREAM, answer, `${kindOf(envelope)} instead of the {code, msg, doc} envelope`);
      const code = readCode(envelopeMember(envelope, 'code'));
      if (code === undefined) throw unexpectedAnswer(UPSTREAM, answer, `an envelope whose "code" is ${kindOf(envelopeMember(envelope, 'code'))}, not a code`);
      const rawMessage = envelopeMember(envelope, 'msg') ?? envelopeMember(envelope, 'message');
      const message = typeof rawMessage === 'string' ? rawMessage.slice(0, 200) : '';
      if (code !== CTID_SUCCESS_CODE) {
        if (notFoundCodes.includes(code) || NOT_FOUND_MESSAGE.test(message)) {
          throw new NotFoundError(`${UPSTREAM} has no ${did.did} (code "${code}"${message ? `, "${message}"` : ''})`);
        }
        throw new UpstreamError(`${UPSTREAM} refused to resolve ${did.did}: code "${code}"${message ? `, "${message}"` : ''}`, {
          extensions: { reason: 'upstream-error', upstreamCode: code },
        });
      }
      if (answer.status < 200 || answer.status > 299) throw unexpectedAnswer(UPSTREAM, answer, 'a success envelope');
      const document = envelopeMember(envelope, 'doc');
      if (!isJsonObject(document)) throw unexpectedAnswer(UPSTREAM, answer, `code "200" but doc is ${kindOf(document)}, not a document`);
      const translation = translateCtidDocument(document, { expectedDid: did.did, maxEntries });
      const txid = envelopeMember(envelope, 'txid');
      const blockHeight = envelopeMember(envelope, 'blockHeight');
      const resolutionMetadata: Record<string, JsonValue> = {};
      if (typeof txid === 'string' && txid !== '') resolutionMetadata.txid = txid;
      if (typeof blockHeight === 'number' && Number.isSafeInteger(blockHeight) && blockHeight >= 0) resolutionMetadata.blockHeight = String(blockHeight); // DID Core §7.3: no numbers in metadata
      return {
        didDocument: translation.didDocument,
        didDocumentMetadata: translation.didDocumentMetadata,
        changes: translation.changes,
        original: document,
        resolutionMetadata,
      };
    },
  };
}
