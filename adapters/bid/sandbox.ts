/**
 * Sandbox emulator of a BID resolver (did:bid), plus the DID lifecycle shared with the did:cndid emulator.
 *
 * Wire format (BID Protocol Specification v2.0.0 §5; domestic-methods.md §4.5), below the mount:
 *
 * | request | answer (HTTP 200 unless said) |
 * |---|---|
 * | `GET /{did}` | `{"errorCode":0,"message":"success","data":{"didDocument":<document>}}` with the stored document byte for byte; `{"errorCode":6,"message":"not found"}` for an unknown DID; a deactivated DID answers with its emptied document (§5.4) |
 * | `POST /` `{id, operation: "create"\|"update"\|"delete"\|"recovery", didDocument?, proof}` | `{"errorCode":0,"message":"success"}`; `{"errorCode":1,"message":"without permission"}` when `proof.creator` is not an authentication key (create, update) or a recovery key (delete, recovery); `{"errorCode":6,…}` for an unknown DID |
 *
 * Assumptions, because the specification does not say: the write path is `POST /` (§5.1 gives no path); the
 * deactivate request's misspelled `opratiton` is accepted like `operation` (§5.4 writes it that way); malformed write
 * requests get `{"errorCode":2,"message":"invalid request"}` (no code is documented); document proofs are not
 * verified (the signed bytes are unconfirmed, §4.3), only the creator's key id is checked; a deactivated document
 * is the DID's `@context`, `version`, `id`, `created`, `updated` and empty `publicKey` / `authentication` lists
 * (§5.4 only says it is "empty").
 *
 * `create` generates a key with `src/keys/generate.ts` (or takes `privateKey`: a BIF `priSPK…` string or 64 hex
 * digits, for known-answer tests) and derives the DID with `src/keys/derive.ts`: SHA-256 of the raw Ed25519 key,
 * SM3 of the uncompressed SM2 point, last 22 bytes, BIF-alphabet base58 (§4.2).
 *
 * Seeds: the published sample documents in `fixtures/bid/upstream/` (see its SOURCE.md).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeBifPrivateKey, decodeHex, encodeBifPublicKey, encodeHex, type BifKeyType } from '../../src/keys/codecs.js';
import { decompressPoint } from '../../src/keys/curves.js';
import { deriveDid } from '../../src/keys/derive.js';
import { generateKeyPair, publicKeyFromPrivateKey, type GeneratableKeyType } from '../../src/keys/generate.js';
import { SandboxError } from '../../src/sandbox/errors.js';
import {
  jsonReply,
  rawReply,
  type CreateParams,
  type CreatedDid,
  type DeactivateParams,
  type EmulatorContext,
  type SandboxRequest,
  type SandboxResponse,
  type UpdateParams,
  type UpstreamEmulator,
} from '../../src/sandbox/emulator.js';
import type { DidRecord } from '../../src/sandbox/store.js';
import { DID_CORE_CONTEXT_V1, type JsonObject, type JsonValue } from '../../src/spec.js';
import { normaliseDatetime } from '../../src/util/datetime.js';
import type { BifMethod } from './identifier.js';
import { MemberIndex, isJsonObject } from './members.js';
import { BID_KEY_TYPE_NAMES } from './render.js';

/** Key types the BIF emulators create, with the key type of `src/keys`. */
export const BIF_EMULATOR_KEY_TYPES: Readonly<Record<string, BifKeyType & GeneratableKeyType>> = { ed25519: 'Ed25519', sm2: 'SM2' };

/** The TTL written into created documents' `extension.ttl` (the value of every published sample). */
export const BIF_DEFAULT_TTL = 86_400;

/** Finds a file of the package (fixtures) from this module, in the source tree and in `dist/` alike. */
export function packageFile(relative: string): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const candidate = join(dir, relative);
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  throw new Error(`package file ${relative} not found above ${dirname(fileURLToPath(import.meta.url))}`);
}

/** A seed: a fixture file, where the document sits in it, and its provenance. */
export interface BifSeed {
  file: string;
  /** Path of member names / indices to the document inside the file (empty: the file is the document). */
  path: Array<string | number>;
  source: string;
}

/** Reads a seed document out of its fixture file. */
export function readSeed(seed: BifSeed): JsonObject {
  let value: unknown = JSON.parse(readFileSync(packageFile(seed.file), 'utf8'));
  for (const step of seed.path) value = (value as Record<string | number, unknown>)?.[step];
  if (!isJsonObject(value)) throw new Error(`seed ${seed.file} has no document at ${seed.path.join('.')}`);
  return value;
}

/** `YYYY-MM-DDTHH:MM:SSZ`, as BID documents write times. */
export function bifTime(date: Date): string {
  return normaliseDatetime(date)!;
}

/** Options of {@link bifNativeDocument}. */
export interface BifNativeDocumentOptions {
  method: BifMethod;
  did: string;
  keyType: BifKeyType;
  /** The raw key: 32 bytes (Ed25519) or 65 uncompressed bytes (SM2, secp256k1). */
  rawPublicKey: Uint8Array;
  now: Date;
}

/**
 * A native document for a new DID, shaped as the upstream writes it: did:bid as the BID SDK does (`@context`, a
 * BIF-encoded `publicKeyHex`, upper-case key type as in SDK documents, `extension` with `ttl`); did:cndid as the Go
 * driver's `DIDResolution` struct serialises (`context` without `@`, `extension` with `ttl`, `type`, `attributes`).
 */
export function bifNativeDocument(options: BifNativeDocumentOptions): JsonObject {
  const { method, did, keyType, rawPublicKey, now } = options;
  const keyId = `${did}#key-1`;
  const time = bifTime(now);
  const publicKeyHex = encodeHex(encodeBifPublicKey({ keyType, publicKey: rawPublicKey }));
  const typeName = keyType === 'Ed25519' ? 'ED25519' : BID_KEY_TYPE_NAMES[keyType];
  return {
    [method === 'cndid' ? 'context' : '@context']: [DID_CORE_CONTEXT_V1],
    version: '1.0.0',
    id: did,
    publicKey: [{ id: keyId, type: typeName, controller: did, publicKeyHex }],
    authentication: [keyId],
    extension: { ttl: BIF_DEFAULT_TTL, type: 101, attributes: [] },
    created: time,
    updated: time,
  };
}

/** The emptied document a deactivated BIF DID is served with (see the module comment). */
export function bifEmptiedDocument(record: DidRecord, method: BifMethod, now: Date): JsonObject {
  const current = isJsonObject(record.document) ? new MemberIndex(record.document) : undefined;
  const contextName = method === 'cndid' ? 'context' : '@context';
  return {
    [contextName]: current?.value(contextName) ?? [DID_CORE_CONTEXT_V1],
    version: current?.value('version') ?? '1.0.0',
    id: record.did,
    publicKey: [],
    authentication: [],
    created: current?.value('created') ?? bifTime(new Date(record.created)),
    updated: bifTime(now),
  };
}

function readPrivateKey(value: JsonValue | undefined, keyType: BifKeyType): Uint8Array | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new SandboxError('INVALID_REQUEST', '"privateKey" must be a BIF private key string or 64 hex digits');
  try {
    if (/^[0-9a-fA-F]{64}$/.test(value)) return decodeHex(value, { length: 32 });
    const decoded = decodeBifPrivateKey(value);
    if (decoded.keyType !== keyType) {
      throw new SandboxError('INVALID_REQUEST', `"privateKey" is a ${decoded.keyType} key, not ${keyType}`);
    }
    return decoded.privateKey;
  } catch (err) {
    if (err instanceof SandboxError) throw err;
    // Never echo the value: it is a private key.
    throw new SandboxError('INVALID_REQUEST', '"privateKey" is neither a BIF private key (priS…) nor 64 hex digits');
  }
}

/** The DID lifecycle of a BIF emulator (create, update, deactivate), shared by did:bid and did:cndid. */
export interface BifLifecycle {
  create(ctx: EmulatorContext, params: CreateParams): CreatedDid;
  update(ctx: EmulatorContext, params: UpdateParams): DidRecord;
  deactivate(ctx: EmulatorContext, params: DeactivateParams): DidRecord;
}

/** Builds the create / update / deactivate operations of a BIF emulator. */
export function bifLifecycle(method: BifMethod): BifLifecycle {
  return {
    create(ctx, params) {
      const keyType = BIF_EMULATOR_KEY_TYPES[params.keyType];
      if (!keyType) throw new SandboxError('UNSUPPORTED_KEY_TYPE', `did:${method} DIDs are created with ${Object.keys(BIF_EMULATOR_KEY_TYPES).join(' or ')} keys`);
      const subChain = params.subChain;
      if (subChain !== undefined && (typeof subChain !== 'string' || !/^[a-z0-9]{4}$/.test(subChain))) {
        throw new SandboxError('INVALID_REQUEST', '"subChain" must be 4 characters of a-z and 0-9');
      }
      const given = readPrivateKey(params.privateKey, keyType);
      let privateKey: Uint8Array;
      let publicKey: Uint8Array;
      if (given) {
        try {
          publicKey = publicKeyFromPrivateKey({ type: keyType, privateKey: given }).bytes;
        } catch {
          throw new SandboxError('INVALID_REQUEST', `"privateKey" is not a valid ${keyType} private key`);
        }
        privateKey = given;
      } else {
        ({ privateKey, publicKey } = generateKeyPair({ type: keyType }));
      }
      const derived = deriveDid({ method, publicKey: { type: keyType, bytes: publicKey }, ...(subChain ? { subChain } : {}) });
      const raw = keyType === 'Ed25519' ? publicKey : decompressPoint(keyType, publicKey);
      const document = bifNativeDocument({ method, did: derived.did, keyType, rawPublicKey: raw, now: ctx.now() });
      ctx.store.put({
        method,
        did: derived.did,
        document,
        extra: { hash: derived.hash, derivation: derived.steps.map((s) => `${s.name}: ${s.output}`) },
        at: ctx.now(),
      });
      return { did: derived.did, verificationMethodId: `${derived.did}#key-1`, keyType: params.keyType, publicKey: raw, privateKey };
    },
    update(ctx, params) {
      const record = ctx.store.get(params.did);
      if (!record) throw new SandboxError('DID_NOT_FOUND', `${params.did} does not exist`);
      let document: JsonValue;
      if (params.document !== undefined) {
        if (!isJsonObject(params.document) || new MemberIndex(params.document).value('id') !== params.did) {
          throw new SandboxError('INVALID_REQUEST', `"document" must be a did:${method} document whose id is ${params.did}`);
        }
        document = params.document;
      } else {
        // Without a replacement the update only moves `updated`, as re-submitting the same document would.
        if (!isJsonObject(record.document)) throw new SandboxError('INVALID_REQUEST', `${params.did} has no document to update`);
        const updatedName = new MemberIndex(record.document).get('updated')?.name ?? 'updated';
        document = { ...record.document, [updatedName]: bifTime(ctx.now()) };
      }
      return ctx.store.update(params.did, { document, at: ctx.now() });
    },
    deactivate(ctx, params) {
      const record = ctx.store.get(params.did);
      if (!record) throw new SandboxError('DID_NOT_FOUND', `${params.did} does not exist`);
      if (record.deactivated) throw new SandboxError('DID_DEACTIVATED', `${params.did} is deactivated`);
      return ctx.store.deactivate(params.did, { document: bifEmptiedDocument(record, method, ctx.now()), at: ctx.now() });
    },
  };
}

/** Stores seed documents (idempotent). */
export function seedBif(ctx: EmulatorContext, method: BifMethod, seeds: readonly BifSeed[]): void {
  for (const seed of seeds) {
    const document = readSeed(seed);
    const id = new MemberIndex(document).value('id');
    if (typeof id !== 'string') throw new Error(`seed ${seed.file} has no id`);
    ctx.store.put({ method, did: id.trim(), documentJson: JSON.stringify(document), source: seed.source, ifExists: 'skip' });
  }
}

/** The published did:bid documents the emulator starts with (`fixtures/bid/upstream/`, see SOURCE.md there). */
export const BID_SEEDS: readonly BifSeed[] = [
  {
    file: 'fixtures/bid/upstream/01-spec-bid-document-example.json',
    path: [],
    source: 'teleinfo-bif/bid@19496d1:doc/en/BID Protocol Specification.md lines 128-168 (§4 document example)',
  },
  {
    file: 'fixtures/bid/upstream/08-sdk-isValidProof-document-real-encoded-key.json',
    path: ['didDocument'],
    source: 'caict-4iot-dev/BID-SDK-JAVA@986eafd:BID-SDK开发指南.md line 740 (§15 isValidProof example)',
  },
  {
    file: 'fixtures/bid/upstream/09-sdk-batch-create-request-two-documents.json',
    path: ['bid', 0, 'document'],
    source: 'caict-4iot-dev/BID-SDK-JAVA@986eafd:BID-SDK开发指南.md line 504 (§12 createBIDByTemplate, first document)',
  },
  {
    file: 'fixtures/bid/upstream/09-sdk-batch-create-request-two-documents.json',
    path: ['bid', 1, 'document'],
    source: 'caict-4iot-dev/BID-SDK-JAVA@986eafd:BID-SDK开发指南.md line 504 (§12 createBIDByTemplate, second document)',
  },
];

function bidEnvelope(documentJson: string): SandboxResponse {
  // Built as text so the stored document goes out byte for byte (quirky member names, spacing and all).
  return rawReply(`{"errorCode":0,"message":"success","data":{"didDocument":${documentJson}}}`);
}

const NOT_FOUND: JsonObject = { errorCode: 6, message: 'not found' };
const NO_PERMISSION: JsonObject = { errorCode: 1, message: 'without permission' };
const INVALID_REQUEST: JsonObject = { errorCode: 2, message: 'invalid request' };

/** Key ids listed in a member of a BID document (authentication, or extension.recovery). */
function keyIdsIn(document: JsonValue, member: 'authentication' | 'recovery'): string[] {
  if (!isJsonObject(document)) return [];
  const m = new MemberIndex(document);
  const list = member === 'authentication' ? m.value('authentication') : (() => {
    const extension = m.value('extension');
    return isJsonObject(extension) ? new MemberIndex(extension).value('recovery') : undefined;
  })();
  return Array.isArray(list) ? list.filter((x): x is string => typeof x === 'string').map((x) => x.trim()) : [];
}

function handleWrite(req: SandboxRequest, ctx: EmulatorContext): SandboxResponse {
  const body = req.body;
  if (!isJsonObject(body)) return jsonReply(INVALID_REQUEST);
  const m = new MemberIndex(body, { ignoreCase: true });
  const id = m.value('id');
  // §5.4 writes the member "opratiton"; accept both spellings and the value " delete" with stray whitespace.
  const operation = m.value('operation') ?? m.value('opratiton');
  const proof = m.value('proof') ?? (isJsonObject(m.value('didDocument')) ? new MemberIndex(m.value('didDocument') as JsonObject).value('proof') : undefined);
  const creator = isJsonObject(proof) ? new MemberIndex(proof).value('creator') : undefined;
  if (typeof id !== 'string' || typeof operation !== 'string' || typeof creator !== 'string') return jsonReply(INVALID_REQUEST);
  const did = id.trim();
  const op = operation.trim();
  const document = m.value('didDocument');
  const record = ctx.store.get(did);
  try {
    switch (op) {
      case 'create': {
        if (!isJsonObject(document) || new MemberIndex(document).value('id') !== did || !did.startsWith('did:bid:')) return jsonReply(INVALID_REQUEST);
        if (!keyIdsIn(document, 'authentication').includes(creator.trim())) return jsonReply(NO_PERMISSION);
        if (record) return jsonReply(NO_PERMISSION);
        ctx.store.put({ method: 'bid', did, document, at: ctx.now() });
        break;
      }
      case 'update':
      case 'recovery': {
        if (!record || record.deactivated) return jsonReply(NOT_FOUND);
        if (!isJsonObject(document) || new MemberIndex(document).value('id') !== did) return jsonReply(INVALID_REQUEST);
        const allowed = keyIdsIn(record.document, op === 'update' ? 'authentication' : 'recovery');
        if (!allowed.includes(creator.trim())) return jsonReply(NO_PERMISSION);
        ctx.store.update(did, { document, at: ctx.now() });
        break;
      }
      case 'delete': {
        if (!record || record.deactivated) return jsonReply(NOT_FOUND);
        if (!keyIdsIn(record.document, 'recovery').includes(creator.trim())) return jsonReply(NO_PERMISSION);
        ctx.store.deactivate(did, { document: bifEmptiedDocument(record, 'bid', ctx.now()), at: ctx.now() });
        break;
      }
      default:
        return jsonReply(INVALID_REQUEST);
    }
  } catch (err) {
    if (err instanceof SandboxError) return jsonReply(INVALID_REQUEST);
    throw err;
  }
  return jsonReply({ errorCode: 0, message: 'success' });
}

/** Options of {@link createBidEmulator}. */
export interface BidEmulatorOptions {
  /** Mount name (default `bid`). */
  mount?: string;
}

/**
 * Creates a BID resolver emulator (see the module comment for its routes and assumptions).
 * @example
 * const sandbox = await startSandbox({ emulators: [bidEmulator] })
 * const adapter = createBidAdapter({ baseUrl: sandbox.baseUrlFor('bid') })
 */
export function createBidEmulator(options: BidEmulatorOptions = {}): UpstreamEmulator {
  const lifecycle = bifLifecycle('bid');
  return {
    method: 'bid',
    ...(options.mount ? { mount: options.mount } : {}),
    description: 'BID resolver (teleinfo-bif/bid BID Protocol Specification v2.0.0 §5: GET /{did}, POST / writes)',
    keyTypes: Object.keys(BIF_EMULATOR_KEY_TYPES),
    handle(req, ctx) {
      const [first, ...rest] = req.segments;
      if (req.method === 'GET' && first !== undefined && rest.length === 0 && first.startsWith('did:bid:')) {
        const record = ctx.store.get(first);
        if (!record || record.method !== 'bid') return jsonReply(NOT_FOUND);
        return bidEnvelope(record.documentJson);
      }
      if (req.method === 'POST' && first === undefined) return handleWrite(req, ctx);
      return undefined;
    },
    seed: (ctx) => seedBif(ctx, 'bid', BID_SEEDS),
    create: lifecycle.create,
    update: lifecycle.update,
    deactivate: lifecycle.deactivate,
  };
}

/** The BID resolver emulator, mounted at `bid`. */
export const bidEmulator: UpstreamEmulator = createBidEmulator();

