/**
 * A sandbox emulator of the did:tdid upstream, mounted at `/tdid`: the Tencent Cloud API 3.0 `GetTDidDocument`
 * envelope (see `api.ts`) without request signing. **It does not emulate the Tencent Cloud API itself**: no
 * TC3-HMAC-SHA256 signature is checked, and only the document read is served.
 *
 * Route (below the mount): `POST /` with header `X-TC-Action`:
 *
 * | request | answer (always HTTP 200, as Tencent Cloud API 3.0 does) |
 * |---|---|
 * | `GetTDidDocument`, `{"Did": …}` of a stored DID | `{"Response": {"Document": "<document JSON text>", "RequestId": "<uuid>"}}` |
 * | unknown DID | `{"Response": {"Error": {"Code": "ResourceNotFound", …}, "RequestId"}}` (the common code; what TDID really answers is not published) |
 * | `Did` missing / not a did:tdid | `InvalidParameter` / `InvalidParameterValue` |
 * | another or no action | `InvalidAction` |
 *
 * `create` makes a secp256k1 key pair, derives the DID with `deriveDid` (Keccak-256 address, §6) and stores the
 * specification's document shape (`Secp256k1` key `#keys-0` with the decimal `publicKey`, `created` in epoch seconds,
 * `updated: null`). `deactivate` keeps the document and sets `"deactivated": true` in it, the member the Tencent Cloud
 * API documentation shows in documents. TDID has no update operation (§6), so the emulator has none.
 *
 * Seeds: the specification's example document, `fixtures/tdid/upstream/01-spec-tdid-document.json`.
 */
import { randomUUID } from 'node:crypto';
import { encodeDecimalPublicKey } from '../../src/keys/codecs.js';
import { decompressPoint } from '../../src/keys/curves.js';
import { deriveDid, parseTdidIdentifier } from '../../src/keys/derive.js';
import { generateKeyPair } from '../../src/keys/generate.js';
import type { JsonObject } from '../../src/spec.js';
import {
  bodyMember,
  jsonReply,
  type CreateParams,
  type CreatedDid,
  type DeactivateParams,
  type EmulatorContext,
  type SandboxRequest,
  type SandboxResponse,
  type UpstreamEmulator,
} from '../../src/sandbox/emulator.js';
import { SandboxError } from '../../src/sandbox/errors.js';
import { findUpstreamSamplesDir, loadSample } from '../../src/sandbox/samples.js';
import type { DidRecord } from '../../src/sandbox/store.js';
import { isJsonObject } from '../weid/preserved.js';
import { TDID_CONTEXT } from '../weid/translate.js';
import { TDID_ACTION } from './api.js';

/** The DID of the specification's example document, which the emulator seeds. */
export const TDID_SAMPLE_DID = 'did:tdid:cb534-15:0x1e7115081c178459be8d3844dd129b2234edc6be';

const SAMPLE_FILE = '01-spec-tdid-document.json';

function reply(response: JsonObject): SandboxResponse {
  return jsonReply({ Response: { ...response, RequestId: randomUUID() } });
}

function error(code: string, message: string): SandboxResponse {
  return reply({ Error: { Code: code, Message: message } });
}

/** The document TDID's specification shows, for a key. */
export function tdidDocument(options: { did: string; decimal: string; createdSeconds: number }): JsonObject {
  const { did, decimal, createdSeconds } = options;
  const keyId = `${did}#keys-0`;
  return {
    '@context': TDID_CONTEXT,
    id: did,
    created: createdSeconds,
    updated: null,
    verificationMethod: [{ id: keyId, type: 'Secp256k1', controller: did, publicKey: decimal }],
    authentication: [keyId],
    service: [],
  };
}

/** Options of {@link tdidEmulator}. */
export interface TdidEmulatorOptions {
  /** The sample folder to seed from (with `SOURCE.txt`). Default: `fixtures/tdid/upstream` of this package. */
  samplesDir?: string;
}

/** Creates the did:tdid upstream emulator. */
export function tdidEmulator(options: TdidEmulatorOptions = {}): UpstreamEmulator {
  if (options === null || typeof options !== 'object') throw new TypeError('"options" must be an object');
  return {
    method: 'tdid',
    description: 'Tencent Cloud TDID GetTDidDocument envelope (API 3.0, version 2021-05-19), without AK/SK signing: not the Tencent Cloud API itself',
    keyTypes: ['secp256k1'],
    createParams: { routerId: 'router id put in the DID (default w1; 1-10 of a-z, 0-9, "-")' },
    handle(req: SandboxRequest, ctx: EmulatorContext): SandboxResponse | undefined {
      if (req.path !== '/') return undefined;
      if (req.method !== 'POST') return jsonReply({ Response: { Error: { Code: 'UnsupportedProtocol', Message: 'use POST' } } }, { status: 405 });
      if (req.headers['x-tc-action'] !== TDID_ACTION) {
        return error('InvalidAction', `the action ${JSON.stringify(req.headers['x-tc-action'] ?? '')} does not exist`);
      }
      const did = bodyMember(req.body, 'Did');
      if (typeof did !== 'string' || did === '') return error('InvalidParameter', 'Did is required');
      try {
        parseTdidIdentifier(did);
      } catch {
        return error('InvalidParameterValue', `Did ${JSON.stringify(did.slice(0, 100))} is not a did:tdid identifier`);
      }
      const record = ctx.store.get(did);
      if (!record || record.method !== 'tdid') return error('ResourceNotFound', 'the DID does not exist');
      return reply({ Document: JSON.stringify(record.document, null, 2) });
    },
    async seed(ctx: EmulatorContext): Promise<void> {
      const dir = options.samplesDir ?? findUpstreamSamplesDir('tdid');
      if (dir === undefined) throw new SandboxError('INVALID_DOCUMENT', 'fixtures/tdid/upstream was not found; pass "samplesDir"');
      const sample = await loadSample({ dir, file: SAMPLE_FILE });
      const document = sample.json;
      if (!isJsonObject(document) || typeof document.id !== 'string') throw new SandboxError('INVALID_DOCUMENT', `${SAMPLE_FILE} holds no did:tdid document`);
      const at = typeof document.created === 'number' ? new Date(document.created * 1000) : undefined;
      ctx.store.put({ method: 'tdid', did: document.id, document, source: sample.source, ifExists: 'skip', ...(at ? { at } : {}) });
    },
    create(ctx: EmulatorContext, params: CreateParams): CreatedDid {
      if (params.keyType !== 'secp256k1') throw new SandboxError('UNSUPPORTED_KEY_TYPE', 'did:tdid keys are secp256k1');
      const routerId = params.routerId ?? 'w1';
      if (typeof routerId !== 'string' || !/^[a-z0-9-]{1,10}$/.test(routerId)) {
        throw new SandboxError('INVALID_REQUEST', '"routerId" must be 1-10 of a-z, 0-9, "-"');
      }
      const pair = generateKeyPair({ type: 'secp256k1' });
      const { did } = deriveDid({ method: 'tdid', publicKey: { type: 'secp256k1', bytes: pair.publicKey }, chainId: routerId });
      const uncompressed = decompressPoint('secp256k1', pair.publicKey);
      const now = ctx.now();
      const document = tdidDocument({ did, decimal: encodeDecimalPublicKey(uncompressed), createdSeconds: Math.floor(now.getTime() / 1000) });
      ctx.store.put({ method: 'tdid', did, document, extra: { routerId }, at: now });
      return { did, verificationMethodId: `${did}#keys-0`, keyType: 'secp256k1', publicKey: uncompressed, privateKey: pair.privateKey };
    },
    deactivate(ctx: EmulatorContext, params: DeactivateParams): DidRecord {
      const record = ctx.store.get(params.did)!;
      if (record.deactivated) throw new SandboxError('DID_DEACTIVATED', `${params.did} is deactivated`);
      const document = { ...(record.document as JsonObject), deactivated: true };
      return ctx.store.deactivate(params.did, { document });
    },
  };
}
