/**
 * The did:cndid adapter (teleinfo / CAICT, TChain, registered 2025): a clone of did:bid, so identifiers, documents,
 * translation and reverse translation are the did:bid code parameterised with the method name
 * (domestic-methods.md §5). What differs is the upstream and its envelope.
 *
 * Upstream: the did:cndid Universal Resolver driver (`teleinfo-bif/uni-resolver-driver-did-cndid@8d7770a`,
 * `document/cn_did.go`) answers `{status, message, data}` with the HTTP status repeated in `status`; it forwards to
 * a TChain resolution service at `GET http://<resolveIP>:<resolvePort>/resolve?id=<did>` that answers the same
 * envelope. Both are supported (`apiStyle`):
 *
 * | `apiStyle` | request | default base URL |
 * |---|---|---|
 * | `resolve` (default) | `GET {baseUrl}/resolve?id={did}` | `http://139.198.21.202:31005`, the address hard-coded in the driver |
 * | `driver` | `GET {baseUrl}/1.0/identifiers/{did}` | (set `baseUrl`) |
 *
 * | answer | outcome |
 * |---|---|
 * | `status` 200 (message `Success`) with `data` | the translated document; an emptied document is deactivated (as did:bid §5.4) |
 * | `status` 404, or HTTP 404 without an envelope (the driver's reading of the resolution service) | NOT_FOUND |
 * | `status` 451 ("Invalid DID Address"), or 400 | INVALID_DID: the upstream refuses the identifier |
 * | other statuses, bodies that are not JSON, envelopes without `status` or `data` | INTERNAL_ERROR naming the upstream |
 *
 * **Unconfirmed: the base58 alphabet.** Whether did:cndid identifiers use the BIF alphabet (as did:bid) or
 * Bitcoin's is not settled by any published key/DID pair (§5, §15). This adapter and its sandbox assume the BIF
 * alphabet, like `src/keys/derive.ts`. Note that the Go driver validates identifiers with `btcsuite/btcutil/base58`
 * (Bitcoin's alphabet): validation is unaffected (both alphabets have the same characters and the suffix decodes to
 * 22 bytes either way in practice), but a DID derived from a key would differ in letter case.
 *
 * @see https://github.com/teleinfo-bif/uni-resolver-driver-did-cndid
 * @see ../bid/translate.ts for the translation rules (rule ids are prefixed `cndid.`)
 */
import type { AdapterContext, MethodAdapter, MethodResolution, Translation } from '../../src/adapter.js';
import { InvalidDidError, NotFoundError, UpstreamError } from '../../src/errors.js';
import type { MethodTraits, ResolutionOptions } from '../../src/spec.js';
import type { ParsedDid } from '../../src/syntax/did-url.js';
import { checkTestIdentifiers } from '../bid/index.js';
import { bifIdentifierPattern, validateBifDid } from '../bid/identifier.js';
import { checkTranslationLimits, type TranslationLimits } from '../bid/limits.js';
import { MemberIndex, isJsonObject, kindOf } from '../bid/members.js';
import { createBifRenderer } from '../bid/render.js';
import { bifResolution } from '../bid/resolution.js';
import { readCode } from '../bid/services.js';
import { recogniseBifDocument, translateBifForAdapter } from '../bid/translate.js';
import { checkUpstreamConfig, getUpstream, type UpstreamAnswer, type UpstreamConfig } from '../bid/upstream.js';

/** The did:cndid pattern (domestic-methods.md §5, plus the bare sub-chain form of the shared ABNF). */
export const CNDID_DID_PATTERN: RegExp = bifIdentifierPattern('cndid');

/** The TChain resolution service the did:cndid driver calls (`resolveIP`:`resolvePort` in `document/cn_did.go`). */
export const CNDID_DEFAULT_BASE_URL = 'http://139.198.21.202:31005';

/** The Universal Resolver's test identifier for did:cndid (secp256k1; domestic-methods.md §5, §12). */
export const CNDID_TEST_IDENTIFIERS: readonly string[] = ['did:cndid:sf24eYrmwXt6nx4fig3XJm7n9UP6PNRJ3'];

/** The two upstream APIs speaking the `{status, message, data}` envelope. */
export const CNDID_API_STYLES = ['resolve', 'driver'] as const;
export type CndidApiStyle = (typeof CNDID_API_STYLES)[number];

/** The did:cndid renderer (`shape: "cndid"`): the BID shape with `context` instead of `@context`. */
export const cndidRenderer = createBifRenderer({ method: 'cndid' });

/** Configuration of the did:cndid adapter (every member optional). */
export interface CndidAdapterConfig extends UpstreamConfig {
  /** Which upstream API `baseUrl` points at. Default `resolve`. */
  apiStyle?: CndidApiStyle;
  /** DIDs that resolve in this deployment. Default {@link CNDID_TEST_IDENTIFIERS}. */
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
export function cndidUpstreamUrl(baseUrl: string, apiStyle: CndidApiStyle, did: string): string {
  return apiStyle === 'resolve' ? `${baseUrl}/resolve?id=${encodeURIComponent(did)}` : `${baseUrl}/1.0/identifiers/${did}`;
}

/** Maps a `{status, message, data}` answer to a resolution (see the table in the module comment). */
export function readCndidAnswer(answer: UpstreamAnswer, did: string, upstream: string, limits?: TranslationLimits): MethodResolution {
  const { json } = answer;
  const envelope = isJsonObject(json) ? new MemberIndex(json, { ignoreCase: true }) : undefined;
  const envelopeStatus = envelope ? readCode(envelope.value('status')) : undefined;
  const rawMessage = envelope?.value('message');
  const message = typeof rawMessage === 'string' ? rawMessage.trim().slice(0, 200) : undefined;
  const said = message ? ` (${message})` : '';
  // The envelope's status decides when there is one; otherwise the HTTP status (the driver reads the resolution
  // service's 404 that way).
  const status = envelopeStatus ?? (envelope === undefined || answer.status >= 400 ? answer.status : undefined);
  if (status === 404) throw new NotFoundError(`${did} is not registered: ${upstream} answered status 404${said}`);
  if (status === 451 || status === 400) {
    throw new InvalidDidError(`${upstream} refused the identifier ${did} with status ${status}${said}`);
  }
  if (json === undefined) {
    throw new UpstreamError(
      answer.status >= 400
        ? `${upstream} answered HTTP ${answer.status}: ${JSON.stringify(answer.excerpt)}`
        : `${upstream} answered HTTP ${answer.status} with a body that is not JSON (${answer.parseError}): ${JSON.stringify(answer.excerpt)}`,
      { extensions: { reason: answer.status >= 400 ? 'upstream-status' : 'not-json', status: answer.status } },
    );
  }
  if (!envelope) {
    throw new UpstreamError(`${upstream} answered ${kindOf(json)} instead of the {status, message, data} envelope`, {
      extensions: { reason: 'unexpected-envelope', status: answer.status },
    });
  }
  if (status === undefined) {
    throw new UpstreamError(`${upstream} answered without a numeric "status" (not the {status, message, data} envelope): ${JSON.stringify(answer.excerpt)}`, {
      extensions: { reason: 'unexpected-envelope', status: answer.status },
    });
  }
  if (status !== 200 || answer.status >= 400) {
    throw new UpstreamError(`${upstream} answered status ${status}${said}`, {
      extensions: { reason: 'upstream-status', upstreamStatus: status, status: answer.status },
    });
  }
  const data = envelope.get('data');
  if (data === undefined) {
    throw new UpstreamError(`${upstream} answered status 200 without "data"`, { extensions: { reason: 'unexpected-envelope', status: answer.status } });
  }
  return bifResolution(data.value, did, 'cndid', upstream, limits);
}

/**
 * Creates the did:cndid adapter.
 *
 * @param config see {@link CndidAdapterConfig}
 * @throws TypeError for malformed settings (naming the setting)
 * @example
 * const adapter = createCndidAdapter({ baseUrl: 'http://driver-did-cndid:8080', apiStyle: 'driver' })
 */
export function createCndidAdapter(config: CndidAdapterConfig = {}): MethodAdapter {
  const upstreamConfig = checkUpstreamConfig(config, CNDID_DEFAULT_BASE_URL);
  const limits = checkTranslationLimits(config.limits);
  const apiStyle = config.apiStyle ?? 'resolve';
  if (!CNDID_API_STYLES.includes(apiStyle)) {
    throw new TypeError(`"apiStyle" must be one of ${CNDID_API_STYLES.join(', ')}, got ${JSON.stringify(apiStyle)}`);
  }
  const testIdentifiers = checkTestIdentifiers(config.testIdentifiers, CNDID_TEST_IDENTIFIERS, (did) => {
    if (!CNDID_DID_PATTERN.test(did)) throw new TypeError('not a did:cndid identifier');
    validateBifDid(did, 'cndid');
  });
  const upstream = `the did:cndid ${apiStyle === 'resolve' ? 'resolution service' : 'driver'} at ${new URL(upstreamConfig.baseUrl).host}`;
  return {
    id: 'cndid',
    methods: ['cndid'],
    identifierPattern: CNDID_DID_PATTERN,
    traits: TRAITS,
    capabilities: { cacheable: true },
    testIdentifiers: () => testIdentifiers,
    validate(did: ParsedDid): void {
      validateBifDid(did, 'cndid');
    },
    async resolve(did: ParsedDid, _options: ResolutionOptions, context: AdapterContext): Promise<MethodResolution> {
      validateBifDid(did, 'cndid');
      const answer = await getUpstream(context, cndidUpstreamUrl(upstreamConfig.baseUrl, apiStyle, did.did), upstreamConfig, upstream);
      return readCndidAnswer(answer, did.did, upstream, limits);
    },
    recognise: (input: unknown) => recogniseBifDocument(input, 'cndid'),
    translate: (input: unknown): Translation => translateBifForAdapter(input, 'cndid', limits),
    // The renderer translates carried documents again, under the limits this adapter translated them with.
    renderers: [config.limits === undefined ? cndidRenderer : createBifRenderer({ method: 'cndid', limits })],
  };
}
