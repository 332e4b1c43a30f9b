/**
 * A sandbox emulator of the WeIdentity REST service (`weid-http-service`) for did:weid, mounted at `/weid`.
 *
 * Route (below the mount): `POST /weid/api/invoke` with `{functionArg, transactionArg, functionName, v}`:
 *
 * | functionName | answer |
 * |---|---|
 * | `getWeIdDocument`, `getWeIdDocumentJson` on a v1 record | `{respBody: <document>, ErrorCode: 0, ErrorMessage: "success"}` — the capitalised member names of the published v1-era REST doc (samples/weid/04-…) |
 * | `getWeIdDocument` on a v3 record | `{respBody: {resolutionMetadata: null, weIdDocument: <document without @context>, weIdDocumentMetadata}, loopback: null, errorCode: 0, errorMessage: "success"}` |
 * | `getWeIdDocumentJson` on a v3 record | the same with `resolutionMetadata: {contentType: "JSON-LD", error: null}` and `weIdDocumentJson`: the document as Jackson-style pretty-printed JSON text |
 * | either, unknown DID | `{respBody: null, loopback: null, errorCode: 100104, errorMessage: "the weid does not exist on blockchain."}` |
 * | either, malformed DID | `errorCode` 100101 `WEID_INVALID` |
 * | `createWeId` | a fresh v3 secp256k1 DID on chain 101, `respBody` the bare DID (samples/weid/05-…); the REST service keeps the key |
 * | missing `functionArg.weId` / unknown function / body not JSON | `errorCode` 1002 / 1004 / 1003 (`HttpReturnCode`) |
 *
 * `weIdDocumentMetadata` is `{created, updated}` in epoch seconds, `deactivated` and `versionId` from the store.
 * Deactivation (v3) keeps the document and sets the flag, as `deactivateWeId` does; v1 had no deactivation.
 *
 * `create` makes a key pair of the requested type (`secp256k1` or `sm2`), derives the address with Keccak-256 or SM3
 * (`deriveDid`, §3.3) and writes the document in the generation asked for (`v3`: key embedded in `authentication`
 * with the `#keys-<8 hex>` id, the pseudo-multibase and decimal key, the SDK's type names and default service; `v1`:
 * `publicKey[]` `#keys-0` with `owner` and the decimal key, an `authentication` object, epoch-ms dates).
 * Unconfirmed: whether SM2 deployments hash the `#keys-` / service fragments with SM3 instead of Keccak-256; the
 * emulator uses Keccak-256 as `weidVerificationMethodFragment` does.
 *
 * Seeds: the published samples in `fixtures/weid/upstream/` (provenance in its `SOURCE.txt`).
 *
 * @see /work/shared/docs/domestic-methods.md §3.5-3.6
 */
import { encodeDecimalPublicKey, encodeWeidPseudoMultibase } from '../../src/keys/codecs.js';
import { decompressPoint } from '../../src/keys/curves.js';
import { deriveDid, parseWeidIdentifier, weidServiceFragment, weidVerificationMethodFragment } from '../../src/keys/derive.js';
import { generateKeyPair } from '../../src/keys/generate.js';
import type { JsonObject, JsonValue } from '../../src/spec.js';
import {
  bodyMember,
  jsonReply,
  type CreateParams,
  type CreatedDid,
  type DeactivateParams,
  type EmulatorContext,
  type SandboxRequest,
  type SandboxResponse,
  type UpdateParams,
  type UpstreamEmulator,
} from '../../src/sandbox/emulator.js';
import { SandboxError } from '../../src/sandbox/errors.js';
import { findUpstreamSamplesDir, loadSample } from '../../src/sandbox/samples.js';
import type { DidRecord } from '../../src/sandbox/store.js';
import { isJsonObject } from './preserved.js';
import { WEID_ERROR_CODES, WEID_INVOKE_PATH } from './rest.js';
import { WEID_CONTEXT } from './translate.js';

/** The published sample documents the emulator seeds, with the generation each is in. */
export const WEID_SAMPLE_DIDS = Object.freeze({
  v1: 'did:weid:101:0xd9aeaa982fc21ea9addaf09e4f0c6a23a08d306a',
  v3: 'did:weid:0:0x82cf6d7c796126673238eae72d4d81f73596b04a',
  v1Rest: 'did:weid:0xfd28ad212a2de77fee518b4914b8579a40c601fa',
});

const SEEDS: ReadonlyArray<{ file: string; generation: 'v1' | 'v3'; respBody?: boolean }> = [
  { file: '01-v1-getWeIdDocumentJson.json', generation: 'v1' },
  { file: '03-v3-getWeIdDocumentJson.transcribed.json', generation: 'v3' },
  { file: '04-rest-getWeIdDocument-response.json', generation: 'v1', respBody: true },
];

/** The v3 SDK's default service (§3.3): type `WeIdentity`, this endpoint, id `#` + 8 hex of its Keccak-256. */
export const WEID_DEFAULT_SERVICE_ENDPOINT = 'https://github.com/WeBankBlockchain/WeIdentity';

/** Messages of the codes the emulator answers (`ErrorCode.java`, `HttpReturnCode.java`). */
const MESSAGES: Readonly<Record<number, string>> = {
  [WEID_ERROR_CODES.SUCCESS]: 'success',
  [WEID_ERROR_CODES.INPUT_NULL]: 'input is null.',
  [WEID_ERROR_CODES.INPUT_ILLEGAL]: 'input parameter format illegal.',
  [WEID_ERROR_CODES.UNKNOWN_FUNCTION_NAME]: 'function name unknown.',
  [WEID_ERROR_CODES.WEID_INVALID]: 'the weIdentity DID is invalid.',
  [WEID_ERROR_CODES.WEID_DOES_NOT_EXIST]: 'the weid does not exist on blockchain.',
};

/** The v3 `HttpResponseData` as Jackson writes it. */
function envelope(code: number, respBody: JsonValue = null): SandboxResponse {
  return jsonReply({ respBody, loopback: null, errorCode: code, errorMessage: MESSAGES[code] ?? 'error' });
}

/** The v1-era envelope of the published REST doc: capitalised member names. */
function v1Envelope(respBody: JsonValue): SandboxResponse {
  return jsonReply({ respBody, ErrorCode: 0, ErrorMessage: 'success' });
}

/** Pretty-prints JSON the way Jackson's default pretty printer does (`"name" : value`, `[ {`), to keep clients honest. */
export function jacksonPretty(value: JsonValue, indent = ''): string {
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[ ]';
    return `[ ${value.map((v, i) => (i === 0 ? '' : `, `) + jacksonPretty(v, indent)).join('')} ]`;
  }
  if (isJsonObject(value)) {
    const keys = Object.keys(value);
    if (keys.length === 0) return '{ }';
    return `{\n${keys.map((k) => `${inner}${JSON.stringify(k)} : ${jacksonPretty(value[k]!, inner)}`).join(',\n')}\n${indent}}`;
  }
  return JSON.stringify(value);
}

function epochSeconds(iso: string): number {
  return Math.floor(Date.parse(iso) / 1000);
}

function generationOf(record: DidRecord): 'v1' | 'v3' {
  return record.extra.generation === 'v1' ? 'v1' : 'v3';
}

/** The v3 document of a key, as `createWeId` writes it. */
export function weidV3Document(options: { did: string; keyType: 'secp256k1' | 'SM2'; decimal: string }): JsonObject {
  const { did, keyType, decimal } = options;
  return {
    '@context': WEID_CONTEXT,
    id: did,
    authentication: [
      {
        id: `${did}#${weidVerificationMethodFragment(decimal)}`,
        type: keyType === 'SM2' ? 'SM2VerificationKey' : 'Ed25519VerificationKey2020',
        controller: did,
        publicKeyMultibase: encodeWeidPseudoMultibase({ variant: keyType, decimal }),
        publicKey: decimal,
      },
    ],
    service: [{ id: `${did}#${weidServiceFragment(WEID_DEFAULT_SERVICE_ENDPOINT)}`, type: 'WeIdentity', serviceEndpoint: WEID_DEFAULT_SERVICE_ENDPOINT }],
  };
}

/** The v1 document of a key, as v1 `createWeId` + `setPublicKey` + `setAuthentication` leave it. */
export function weidV1Document(options: { did: string; keyType: 'secp256k1' | 'SM2'; decimal: string; createdMs: number }): JsonObject {
  const { did, keyType, decimal, createdMs } = options;
  const type = keyType === 'SM2' ? 'SM2' : 'Secp256k1';
  const keyId = `${did}#keys-0`;
  return {
    '@context': WEID_CONTEXT,
    id: did,
    created: createdMs,
    updated: createdMs,
    publicKey: [{ id: keyId, type, owner: did, publicKey: decimal }],
    authentication: [{ type, publicKey: keyId }],
    service: [],
  };
}

/** Options of {@link weidEmulator}. */
export interface WeidEmulatorOptions {
  /** The sample folder to seed from (with `SOURCE.txt`). Default: `fixtures/weid/upstream` of this package. */
  samplesDir?: string;
  /** The chain id `createWeId` over REST uses. Default `101`. */
  restChainId?: string;
}

/**
 * Creates the WeIdentity REST service emulator.
 * @example const sandbox = await startSandbox({ emulators: [weidEmulator()] }); sandbox.baseUrlFor('weid')
 */
export function weidEmulator(options: WeidEmulatorOptions = {}): UpstreamEmulator {
  if (options === null || typeof options !== 'object') throw new TypeError('"options" must be an object');
  const restChainId = options.restChainId ?? '101';
  if (!/^[A-Za-z0-9]+(?::[A-Za-z0-9]+)?$/.test(restChainId)) throw new TypeError('"restChainId" must be a WeIdentity chain id');

  function createKey(ctx: EmulatorContext, params: { keyType: string; chainId?: JsonValue; generation?: JsonValue }): CreatedDid {
    const keyType = params.keyType === 'sm2' ? 'SM2' : params.keyType === 'secp256k1' ? 'secp256k1' : undefined;
    if (!keyType) throw new SandboxError('UNSUPPORTED_KEY_TYPE', `WeIdentity keys are secp256k1 or sm2, not ${JSON.stringify(params.keyType)}`);
    const chainId = params.chainId ?? '101';
    if (typeof chainId !== 'string' || !/^[A-Za-z0-9]+(?::[A-Za-z0-9]+)?$/.test(chainId)) {
      throw new SandboxError('INVALID_REQUEST', '"chainId" must be one or two ":"-separated alphanumeric segments');
    }
    const generation = params.generation ?? 'v3';
    if (generation !== 'v3' && generation !== 'v1') throw new SandboxError('INVALID_REQUEST', '"generation" must be "v3" or "v1"');
    const pair = generateKeyPair({ type: keyType });
    const { did } = deriveDid({ method: 'weid', publicKey: { type: keyType, bytes: pair.publicKey }, chainId });
    const uncompressed = decompressPoint(keyType, pair.publicKey);
    const decimal = encodeDecimalPublicKey(uncompressed);
    const now = ctx.now();
    const document = generation === 'v3'
      ? weidV3Document({ did, keyType, decimal })
      : weidV1Document({ did, keyType, decimal, createdMs: now.getTime() });
    ctx.store.put({ method: 'weid', did, document, extra: { generation, chainId }, at: now });
    const vm = generation === 'v3' ? (document.authentication as JsonObject[])[0]!.id : `${did}#keys-0`;
    return { did, verificationMethodId: vm as string, keyType: params.keyType, publicKey: uncompressed, privateKey: pair.privateKey };
  }

  function lookup(ctx: EmulatorContext, functionName: string, weId: string): SandboxResponse {
    let canonical: string;
    try {
      const id = parseWeidIdentifier(weId);
      canonical = `did:weid:${id.chainId === undefined ? '' : `${id.chainId}:`}${id.address}`;
    } catch {
      return envelope(WEID_ERROR_CODES.WEID_INVALID);
    }
    const record = ctx.store.get(weId) ?? ctx.store.get(canonical);
    if (!record || record.method !== 'weid') return envelope(WEID_ERROR_CODES.WEID_DOES_NOT_EXIST);
    if (generationOf(record) === 'v1') return v1Envelope(record.document);
    const weIdDocumentMetadata = {
      created: epochSeconds(record.created),
      updated: epochSeconds(record.updated),
      deactivated: record.deactivated,
      versionId: record.versionId,
    };
    if (functionName === 'getWeIdDocumentJson') {
      return envelope(WEID_ERROR_CODES.SUCCESS, {
        resolutionMetadata: { contentType: 'JSON-LD', error: null },
        weIdDocumentJson: jacksonPretty(record.document),
        weIdDocumentMetadata,
      });
    }
    const document = isJsonObject(record.document) ? { ...record.document } : record.document;
    if (isJsonObject(document)) delete document['@context'];
    return envelope(WEID_ERROR_CODES.SUCCESS, { resolutionMetadata: null, weIdDocument: document, weIdDocumentMetadata });
  }

  return {
    method: 'weid',
    description: 'WeIdentity REST service (weid-http-service): POST /weid/api/invoke, WeBankBlockchain/WeIdentity-Rest-Service',
    keyTypes: ['secp256k1', 'sm2'],
    createParams: {
      chainId: 'chain id put in the DID (default 101)',
      generation: 'document generation: v3 (default) or v1',
    },
    handle(req: SandboxRequest, ctx: EmulatorContext): SandboxResponse | undefined {
      if (req.path !== WEID_INVOKE_PATH) return undefined;
      if (req.method !== 'POST') {
        return jsonReply({ status: 405, error: 'Method Not Allowed', path: `/weid/api/invoke` }, { status: 405 });
      }
      if (!isJsonObject(req.body)) return envelope(WEID_ERROR_CODES.INPUT_ILLEGAL);
      const functionName = bodyMember(req.body, 'functionName');
      if (functionName === 'createWeId') {
        const created = createKey(ctx, { keyType: 'secp256k1', chainId: restChainId });
        return envelope(WEID_ERROR_CODES.SUCCESS, created.did);
      }
      if (functionName !== 'getWeIdDocument' && functionName !== 'getWeIdDocumentJson') {
        return envelope(WEID_ERROR_CODES.UNKNOWN_FUNCTION_NAME);
      }
      const weId = bodyMember(bodyMember(req.body, 'functionArg'), 'weId');
      if (typeof weId !== 'string' || weId === '') return envelope(WEID_ERROR_CODES.INPUT_NULL);
      return lookup(ctx, functionName, weId);
    },
    async seed(ctx: EmulatorContext): Promise<void> {
      const dir = options.samplesDir ?? findUpstreamSamplesDir('weid');
      if (dir === undefined) throw new SandboxError('INVALID_DOCUMENT', 'fixtures/weid/upstream was not found; pass "samplesDir"');
      for (const seed of SEEDS) {
        const sample = await loadSample({ dir, file: seed.file });
        const document = seed.respBody && isJsonObject(sample.json) ? sample.json.respBody : sample.json;
        if (!isJsonObject(document) || typeof document.id !== 'string') {
          throw new SandboxError('INVALID_DOCUMENT', `${seed.file} holds no did:weid document`);
        }
        const created = typeof document.created === 'number' ? new Date(document.created) : undefined;
        ctx.store.put({
          method: 'weid',
          did: document.id,
          document,
          extra: { generation: seed.generation },
          source: sample.source,
          ifExists: 'skip',
          ...(created ? { at: created } : {}),
        });
      }
    },
    create(ctx: EmulatorContext, params: CreateParams): CreatedDid {
      return createKey(ctx, params);
    },
    update(ctx: EmulatorContext, params: UpdateParams): DidRecord {
      const record = ctx.store.get(params.did)!;
      if (params.document !== undefined) {
        if (!isJsonObject(params.document) || params.document.id !== params.did) {
          throw new SandboxError('INVALID_DOCUMENT', `"document" must be a did:weid document whose id is ${params.did}`);
        }
        return ctx.store.update(params.did, { document: params.document });
      }
      const service = params.service;
      if (!isJsonObject(service) || typeof service.type !== 'string' || typeof service.serviceEndpoint !== 'string') {
        throw new SandboxError('INVALID_REQUEST', 'give "document", or "service": {type, serviceEndpoint} to add a service');
      }
      const document = structuredClone(record.document) as JsonObject;
      const services = Array.isArray(document.service) ? document.service : [];
      services.push(
        generationOf(record) === 'v3'
          ? { id: `${params.did}#${weidServiceFragment(service.serviceEndpoint)}`, type: service.type, serviceEndpoint: service.serviceEndpoint }
          : { type: service.type, serviceEndpoint: service.serviceEndpoint },
      );
      document.service = services;
      if (generationOf(record) === 'v1') document.updated = ctx.now().getTime();
      return ctx.store.update(params.did, { document });
    },
    deactivate(ctx: EmulatorContext, params: DeactivateParams): DidRecord {
      const record = ctx.store.get(params.did)!;
      if (generationOf(record) === 'v1') {
        throw new SandboxError('NOT_SUPPORTED', 'WeIdentity v1 has no deactivation (deactivateWeId is a v3 function)');
      }
      if (record.deactivated) throw new SandboxError('DID_DEACTIVATED', `${params.did} is deactivated`);
      // deactivateWeId sets the flag and keeps the document (§3.5).
      return ctx.store.deactivate(params.did);
    },
  };
}
