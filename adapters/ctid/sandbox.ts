/**
 * Sandbox emulator of a CTID DID service (did:ctid), for tests, demos and `didbridge sandbox`.
 *
 * Routes below the mount (anicert-ctid-did-en.md §Create, §Read, §Update, §Delete; domestic-methods.md §8), all
 * `POST` with a JSON body, all answering in HTTP 200:
 *
 * - `/didservice/v1/did/get` `{did}` → `{code: "200", msg: "ok", txid, blockHeight, doc}`;
 * - `/didservice/v1/did/create` `{did, operate: "create", doc}`, `/didservice/v1/did/update` `{did, operate:
 *   "update", doc}` → `{code: "200", msg: "ok", txid, blockHeight}`;
 * - `/didservice/v1/did/del` `{did, operate: "delete"}` → the same; the document keeps existing with its `revoked`
 *   datetime set (§Delete: "An invalid DID has its revoked date time set").
 *
 * The specification shows only success. The sandbox's failures are its own choice, kept in
 * {@link CTID_SANDBOX_ERRORS}: HTTP-status-like code strings in the same envelope (`"404"` unknown DID, `"400"`
 * malformed request, `"409"` DID exists, `"410"` DID revoked, for writes).
 *
 * `create` (admin surface / CLI) takes `attributes`, the identity-attribute text hashed with SM3 into the id
 * (`deriveCtidIdentifier`; the real attribute serialisation is unpublished). It is personal data in real use: the
 * sandbox never stores it, only the derived DID, and defaults to a random synthetic value. It creates one SM2 key
 * (`#keys-1`, `sm2p256v1`, uncompressed `04…` hex, empty `expirationDate`) and returns it; the document carries
 * the specification's placeholder service and an operator proof signed with the sandbox operator key
 * ({@link CTID_SANDBOX_OPERATOR_PUBLIC_KEY}; SM2 with the default user id over the compact JSON of the document
 * without `proof`, DER hex; the real signing input is unpublished, and the adapter never verifies it).
 *
 * `txid` is the SM3 of DID, version and time; `blockHeight` is the second of the write (a chain that makes one
 * block per second). The seed is the specification's read response (fixtures/ctid/upstream/, with provenance).
 */
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { deriveCtidIdentifier } from '../../src/keys/derive.js';
import { encodeHex } from '../../src/keys/codecs.js';
import { decompressPoint } from '../../src/keys/curves.js';
import { generateKeyPair } from '../../src/keys/generate.js';
import { sm3 } from '../../src/keys/hash.js';
import { sm2PublicKeyFromPrivateKey, sm2Sign } from '../../src/keys/sm2.js';
import { SandboxError } from '../../src/sandbox/errors.js';
import {
  bodyMember,
  jsonReply,
  type CreatedDid,
  type CreateParams,
  type DeactivateParams,
  type EmulatorContext,
  type SandboxRequest,
  type SandboxResponse,
  type UpdateParams,
  type UpstreamEmulator,
} from '../../src/sandbox/emulator.js';
import { findUpstreamSamplesDir, loadSample } from '../../src/sandbox/samples.js';
import type { DidRecord } from '../../src/sandbox/store.js';
import { DID_CORE_CONTEXT_V1, type JsonObject, type JsonValue } from '../../src/spec.js';
import { normaliseDatetime } from '../../src/util/datetime.js';
import { isJsonObject } from '../ccp/shared/json.js';
import { CTID_DID_PATTERN } from './identifier.js';
import { CTID_KEY_TYPE } from './translate.js';

/** Where the published samples the sandbox seeds from are kept (with their SOURCE.txt manifest). */
export const CTID_UPSTREAM_FIXTURES_DIR = findUpstreamSamplesDir('ctid') ?? fileURLToPath(new URL('../../fixtures/ctid/upstream/', import.meta.url));

/** The sample the seed is read from (the specification's read response). */
export const CTID_SEED_SAMPLE = '02-spec-read-response.json';

/** The sandbox's failure envelopes (the specification shows none; see the module comment). */
export const CTID_SANDBOX_ERRORS = {
  invalidRequest: { code: '400', msg: 'invalid request' },
  notFound: { code: '404', msg: 'DID does not exist' },
  exists: { code: '409', msg: 'DID already exists' },
  revoked: { code: '410', msg: 'DID has been revoked' },
} as const;

/**
 * The sandbox operator's SM2 private key: SM3 of a fixed label, so every sandbox signs with the same, published key.
 * It signs nothing but sandbox documents.
 */
const OPERATOR_PRIVATE_KEY = sm3('didbridge sandbox: did:ctid operator key');

/** The sandbox operator's SM2 public key (uncompressed hex), to check sandbox proofs with. */
export const CTID_SANDBOX_OPERATOR_PUBLIC_KEY = encodeHex(sm2PublicKeyFromPrivateKey(OPERATOR_PRIVATE_KEY));

/** The operator the proofs name (§DID Document). */
export const CTID_OPERATOR = 'did:ctid:anicert';

/** `YYYY-MM-DDTHH:MM:SSZ`, as the specification's documents write times. */
function ctidTime(at: Date): string {
  return normaliseDatetime(at)!;
}

/** Signs a document as the operator: SM2 (default user id) over the compact JSON of the document without `proof`. */
function withOperatorProof(document: JsonObject, at: Date): JsonObject {
  const { proof: _old, ...unsigned } = document;
  const signature = sm2Sign(JSON.stringify(unsigned), OPERATOR_PRIVATE_KEY, { encoding: 'der' });
  return {
    ...unsigned,
    proof: { type: CTID_KEY_TYPE, created: ctidTime(at), creator: CTID_OPERATOR, signatureValue: encodeHex(signature) },
  };
}

function ledgerExtra(did: string, version: number, at: Date): JsonObject {
  return { txid: encodeHex(sm3(`${did}|${version}|${at.toISOString()}`)), blockHeight: Math.floor(at.getTime() / 1000) };
}

function ok(extra: JsonObject, doc?: JsonValue): SandboxResponse {
  return jsonReply({ code: '200', msg: 'ok', txid: extra.txid ?? '', blockHeight: extra.blockHeight ?? 0, ...(doc === undefined ? {} : { doc }) });
}

/** The body's `did`, when it is a did:ctid DID. */
function didOf(body: JsonValue | undefined): string | undefined {
  const did = bodyMember(body, 'did');
  return typeof did === 'string' && CTID_DID_PATTERN.test(did) ? did : undefined;
}

/** Checks `operate` when the body has one (the specification's write requests do). */
function operateMatches(body: JsonValue | undefined, expected: string): boolean {
  const operate = bodyMember(body, 'operate');
  return operate === undefined || operate === expected;
}

/** A document a write request brings: an object about the DID of the request. */
function docOf(body: JsonValue | undefined, did: string): JsonObject | undefined {
  const doc = bodyMember(body, 'doc');
  return isJsonObject(doc) && doc.id === did ? doc : undefined;
}

/** Stores a new version of `did` (bumping `versionId`, setting `update`, re-signing), as update does. */
function writeNewVersion(ctx: EmulatorContext, record: DidRecord, document: JsonObject): DidRecord {
  const at = ctx.now();
  const version = record.latestVersionId + 1;
  const next = withOperatorProof({ ...document, versionId: `v${version}`, update: ctidTime(at) }, at);
  return ctx.store.update(record.did, { document: next, extra: ledgerExtra(record.did, version, at), at });
}

/** Revokes `did`: the document stays, with `revoked` set (§Delete), and is re-signed. */
function revoke(ctx: EmulatorContext, record: DidRecord): DidRecord {
  if (!isJsonObject(record.document)) throw new SandboxError('INVALID_DOCUMENT', `the stored document of ${record.did} is not an object`);
  const at = ctx.now();
  const document = withOperatorProof({ ...record.document, revoked: ctidTime(at) }, at);
  return ctx.store.deactivate(record.did, { document, extra: ledgerExtra(record.did, record.latestVersionId + 1, at), at });
}

/**
 * The did:ctid emulator.
 * @example
 * const sandbox = await startSandbox({ emulators: [ctidEmulator()] })
 * const adapter = createCtidAdapter({ baseUrl: sandbox.baseUrlFor('ctid') })
 */
export function ctidEmulator(): UpstreamEmulator {
  return {
    method: 'ctid',
    description: 'CTID DID service: POST /didservice/v1/did/{get,create,update,del} (anicert-ctid-did-en.md)',
    keyTypes: ['sm2'],
    createParams: {
      attributes:
        'identity-attribute text hashed with SM3 into the id (default: a random synthetic value; never use real personal data, it is not stored)',
    },

    handle(req: SandboxRequest, ctx: EmulatorContext): SandboxResponse | undefined {
      const [service, v1, didSegment, operation, ...rest] = req.segments;
      if (service !== 'didservice' || v1 !== 'v1' || didSegment !== 'did' || rest.length > 0) return undefined;
      if (operation !== 'get' && operation !== 'create' && operation !== 'update' && operation !== 'del') return undefined;
      if (req.method !== 'POST') return undefined;
      const did = didOf(req.body);
      if (did === undefined) return jsonReply(CTID_SANDBOX_ERRORS.invalidRequest);
      const record = ctx.store.get(did);
      const known = record !== undefined && record.method === 'ctid';
      switch (operation) {
        case 'get':
          return known ? ok(record.extra, record.document) : jsonReply(CTID_SANDBOX_ERRORS.notFound);
        case 'create': {
          const doc = docOf(req.body, did);
          if (!doc || !operateMatches(req.body, 'create')) return jsonReply(CTID_SANDBOX_ERRORS.invalidRequest);
          if (ctx.store.has(did)) return jsonReply(CTID_SANDBOX_ERRORS.exists);
          const at = ctx.now();
          const extra = ledgerExtra(did, 1, at);
          ctx.store.put({ method: 'ctid', did, document: doc, extra, at });
          return ok(extra);
        }
        case 'update': {
          const doc = docOf(req.body, did);
          if (!doc || !operateMatches(req.body, 'update')) return jsonReply(CTID_SANDBOX_ERRORS.invalidRequest);
          if (!known) return jsonReply(CTID_SANDBOX_ERRORS.notFound);
          if (record.deactivated) return jsonReply(CTID_SANDBOX_ERRORS.revoked);
          return ok(writeNewVersion(ctx, record, doc).extra);
        }
        case 'del':
          if (!operateMatches(req.body, 'delete')) return jsonReply(CTID_SANDBOX_ERRORS.invalidRequest);
          if (!known) return jsonReply(CTID_SANDBOX_ERRORS.notFound);
          if (record.deactivated) return jsonReply(CTID_SANDBOX_ERRORS.revoked);
          return ok(revoke(ctx, record).extra);
      }
    },

    async seed(ctx: EmulatorContext): Promise<void> {
      const sample = await loadSample({ dir: CTID_UPSTREAM_FIXTURES_DIR, file: CTID_SEED_SAMPLE });
      const doc = bodyMember(sample.json, 'doc');
      if (!isJsonObject(doc) || typeof doc.id !== 'string') throw new SandboxError('INVALID_DOCUMENT', `${CTID_SEED_SAMPLE} has no doc with an id`);
      const txid = bodyMember(sample.json, 'txid');
      const blockHeight = bodyMember(sample.json, 'blockHeight');
      ctx.store.put({
        method: 'ctid',
        did: doc.id,
        document: doc,
        extra: { txid: typeof txid === 'string' ? txid : '', blockHeight: typeof blockHeight === 'number' ? blockHeight : 0 },
        source: sample.source,
        at: typeof doc.created === 'string' ? doc.created : undefined,
        ifExists: 'skip',
      });
    },

    create(ctx: EmulatorContext, params: CreateParams): CreatedDid {
      const attributes = params.attributes ?? `synthetic:${randomUUID()}`;
      if (typeof attributes !== 'string' || attributes === '') {
        throw new SandboxError('INVALID_REQUEST', '"attributes" must be a non-empty string (synthetic identity attributes)');
      }
      const did = deriveCtidIdentifier({ attributes }).did;
      const key = generateKeyPair({ type: 'SM2' });
      const publicKey = decompressPoint('SM2', key.publicKey);
      const at = ctx.now();
      const time = ctidTime(at);
      const document = withOperatorProof(
        {
          '@context': DID_CORE_CONTEXT_V1,
          id: did,
          versionId: 'v1',
          created: time,
          update: time,
          authentication: [{ id: `${did}#keys-1`, type: CTID_KEY_TYPE, expirationDate: '', publicKeyHex: encodeHex(publicKey) }],
          service: [{ id: did, type: '', serviceEndpoint: '' }],
        },
        at,
      );
      ctx.store.put({ method: 'ctid', did, document, extra: ledgerExtra(did, 1, at), at });
      return { did, verificationMethodId: `${did}#keys-1`, keyType: 'sm2', publicKey, privateKey: key.privateKey };
    },

    /** A new version: `document` (a did:ctid document about the same DID) replaces the current one, else the current one is re-issued. */
    update(ctx: EmulatorContext, params: UpdateParams): DidRecord {
      const record = ctx.store.get(params.did);
      if (!record) throw new SandboxError('DID_NOT_FOUND', `${params.did} does not exist`);
      if (record.deactivated) throw new SandboxError('DID_DEACTIVATED', `${params.did} is revoked`);
      let document: JsonObject;
      if (params.document !== undefined) {
        if (!isJsonObject(params.document) || params.document.id !== params.did) {
          throw new SandboxError('INVALID_REQUEST', '"document" must be a did:ctid document whose id is the DID being updated');
        }
        document = params.document;
      } else {
        if (!isJsonObject(record.document)) throw new SandboxError('INVALID_DOCUMENT', `the stored document of ${params.did} is not an object`);
        document = record.document;
      }
      return writeNewVersion(ctx, record, document);
    },

    deactivate(ctx: EmulatorContext, params: DeactivateParams): DidRecord {
      const record = ctx.store.get(params.did);
      if (!record) throw new SandboxError('DID_NOT_FOUND', `${params.did} does not exist`);
      if (record.deactivated) throw new SandboxError('DID_DEACTIVATED', `${params.did} is revoked`);
      return revoke(ctx, record);
    },
  };
}
