/**
 * Sandbox emulator of the did:vaa resolver, serving both published read APIs (domestic-methods.md §9):
 *
 * | request | answer (HTTP 200) |
 * |---|---|
 * | `GET /{did}` (vaa-method README, Read) | `{"responseCode":0,"id":<did>,"document":<document>}`; unknown DID: `{"responseCode":1,"id":<did>,"message":"document not exist"}` |
 * | `GET /v1/did/resolve?didname={did}` (the Universal Resolver driver's request) | `{"resCode":0,"data":<document>}`; unknown DID: `{"resCode":1,"msg":"document not exist"}`; no `didname`: `{"resCode":2,"msg":"didname is required"}` |
 *
 * Documents are sent byte for byte as stored. Assumptions, because nothing published shows them: the non-zero codes
 * and their messages; `{resCode, data}` as domestic-methods.md §9 describes it (the driver's code reads a top-level
 * `didDocument`; the adapter accepts both).
 *
 * `create` makes a document in the specification's shape (`@context` 2019, `controllor`, one verification method
 * with `publicKeyPem` and CRLF line breaks as in the example, `created`/`updated`): keyType `rsa` (2048-bit, node:crypto;
 * `src/keys/generate.ts` has no RSA) with `RsaVerificationKey2018`, or `secp256k1` (`src/keys/generate.ts`) with
 * `EcdsaSecp256k1VerificationKey2019` (the specification's NSI generates "ECC" keys but shows no EC document, so
 * that type name is an assumption).
 *
 * **Unconfirmed: the identifier derivation.** §9 says "Hash the public key and take the first 20 digits; base58", with
 * no hash named, and the specification's example id does not come from its example key: it is base58 of the ASCII
 * text `1q2w3e4r5t6y7u8i9o0p`. The sandbox uses base58btc(SHA-256(SPKI DER)[0:20]) and says so in each record's
 * `extra`. `src/keys/derive.ts` has no did:vaa derivation for the same reason.
 *
 * `deactivate` sets `revoked` to the current time, as the specification's Delete section describes.
 */
import { createHash, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { base58Bitcoin } from '../../src/keys/codecs.js';
import { decompressPoint } from '../../src/keys/curves.js';
import { generateKeyPair } from '../../src/keys/generate.js';
import { SandboxError } from '../../src/sandbox/errors.js';
import { jsonReply, rawReply, type CreatedDid, type EmulatorContext, type UpstreamEmulator } from '../../src/sandbox/emulator.js';
import type { JsonObject, JsonValue } from '../../src/spec.js';
import { MemberIndex, isJsonObject } from '../bid/members.js';
import { bifTime, readSeed, type BifSeed } from '../bid/sandbox.js';

/** Key types the emulator creates. */
export const VAA_EMULATOR_KEY_TYPES = ['rsa', 'secp256k1'] as const;

/** The published did:vaa document the emulator starts with. */
export const VAA_SEEDS: readonly BifSeed[] = [
  {
    file: 'fixtures/vaa/upstream/01-spec-vaa-document.json',
    path: [],
    source: 'caict-develop-zhangbo/vaa-method@fe5920b:README.md lines 81-104 (DID Document example)',
  },
];

/** The sandbox's did:vaa identifier of an SPKI public key: base58btc(SHA-256(SPKI DER)[0:20]) (unconfirmed, see above). */
export function sandboxVaaIdentifier(spkiDer: Uint8Array): string {
  return `did:vaa:${base58Bitcoin.encode(createHash('sha256').update(spkiDer).digest().subarray(0, 20))}`;
}

function keyPair(keyType: string): { spki: Uint8Array; pem: string; privateKey: Uint8Array; type: string } {
  if (keyType === 'rsa') {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    return {
      spki: new Uint8Array(publicKey.export({ type: 'spki', format: 'der' })),
      pem: String(publicKey.export({ type: 'spki', format: 'pem' })),
      privateKey: new Uint8Array(privateKey.export({ type: 'pkcs8', format: 'der' })),
      type: 'RsaVerificationKey2018',
    };
  }
  const pair = generateKeyPair({ type: 'secp256k1' });
  const point = decompressPoint('secp256k1', pair.publicKey);
  const key = createPublicKey({
    key: { kty: 'EC', crv: 'secp256k1', x: Buffer.from(point.subarray(1, 33)).toString('base64url'), y: Buffer.from(point.subarray(33)).toString('base64url') },
    format: 'jwk',
  });
  return {
    spki: new Uint8Array(key.export({ type: 'spki', format: 'der' })),
    pem: String(key.export({ type: 'spki', format: 'pem' })),
    privateKey: pair.privateKey,
    type: 'EcdsaSecp256k1VerificationKey2019',
  };
}

/** The document of a new did:vaa DID, in the specification's example shape. */
export function vaaNativeDocument(options: { did: string; type: string; pem: string; now: Date }): JsonObject {
  const { did, type, pem, now } = options;
  const time = bifTime(now);
  return {
    '@context': 'https://www.w3.org/2019/did/v1',
    id: did,
    controllor: did,
    verificationMethod: [{ id: `${did}#key1`, type, controller: did, publicKeyPem: pem.trim().replace(/\r?\n/g, '\r\n') }],
    created: time,
    updated: time,
  };
}

function documentOf(ctx: EmulatorContext, did: string): { json: string } | undefined {
  const record = ctx.store.get(did);
  return record && record.method === 'vaa' ? { json: record.documentJson } : undefined;
}

/** Options of {@link createVaaEmulator}. */
export interface VaaEmulatorOptions {
  /** Mount name (default `vaa`). */
  mount?: string;
}

/** Creates the did:vaa resolver emulator (see the module comment). */
export function createVaaEmulator(options: VaaEmulatorOptions = {}): UpstreamEmulator {
  return {
    method: 'vaa',
    ...(options.mount ? { mount: options.mount } : {}),
    description: 'did:vaa resolver (vaa-method README: GET /{did} → {responseCode, id, document}; UR driver: GET /v1/did/resolve?didname= → {resCode, data})',
    keyTypes: VAA_EMULATOR_KEY_TYPES,
    handle(req, ctx) {
      if (req.method !== 'GET') return undefined;
      const [a, b, c, ...rest] = req.segments;
      if (a === 'v1' && b === 'did' && c === 'resolve' && rest.length === 0) {
        const did = req.query.didname;
        if (did === undefined || did === '') return jsonReply({ resCode: 2, msg: 'didname is required' });
        const found = documentOf(ctx, did);
        return found ? rawReply(`{"resCode":0,"data":${found.json}}`) : jsonReply({ resCode: 1, msg: 'document not exist' });
      }
      if (a !== undefined && b === undefined && a.startsWith('did:vaa:')) {
        const found = documentOf(ctx, a);
        return found
          ? rawReply(`{"responseCode":0,"id":${JSON.stringify(a)},"document":${found.json}}`)
          : jsonReply({ responseCode: 1, id: a, message: 'document not exist' });
      }
      return undefined;
    },
    seed(ctx) {
      for (const seed of VAA_SEEDS) {
        const document = readSeed(seed);
        ctx.store.put({ method: 'vaa', did: String(document.id).trim(), documentJson: JSON.stringify(document), source: seed.source, ifExists: 'skip' });
      }
    },
    create(ctx, params): CreatedDid {
      if (!(VAA_EMULATOR_KEY_TYPES as readonly string[]).includes(params.keyType)) {
        throw new SandboxError('UNSUPPORTED_KEY_TYPE', `did:vaa DIDs are created with ${VAA_EMULATOR_KEY_TYPES.join(' or ')} keys`);
      }
      const pair = keyPair(params.keyType);
      const did = sandboxVaaIdentifier(pair.spki);
      const document = vaaNativeDocument({ did, type: pair.type, pem: pair.pem, now: ctx.now() });
      ctx.store.put({
        method: 'vaa',
        did,
        document,
        extra: { derivation: 'base58btc(SHA-256(SPKI DER)[0:20]) - a sandbox choice; the did:vaa hash is not documented (domestic-methods.md §9)' },
        at: ctx.now(),
      });
      return { did, verificationMethodId: `${did}#key1`, keyType: params.keyType, publicKey: pair.spki, privateKey: pair.privateKey };
    },
    update(ctx, params) {
      const record = ctx.store.get(params.did);
      if (!record) throw new SandboxError('DID_NOT_FOUND', `${params.did} does not exist`);
      let document: JsonValue;
      if (params.document !== undefined) {
        if (!isJsonObject(params.document) || new MemberIndex(params.document).value('id') !== params.did) {
          throw new SandboxError('INVALID_REQUEST', `"document" must be a did:vaa document whose id is ${params.did}`);
        }
        document = params.document;
      } else {
        if (!isJsonObject(record.document)) throw new SandboxError('INVALID_REQUEST', `${params.did} has no document to update`);
        document = { ...record.document, updated: bifTime(ctx.now()) };
      }
      return ctx.store.update(params.did, { document, at: ctx.now() });
    },
    deactivate(ctx, params) {
      const record = ctx.store.get(params.did);
      if (!record) throw new SandboxError('DID_NOT_FOUND', `${params.did} does not exist`);
      if (record.deactivated) throw new SandboxError('DID_DEACTIVATED', `${params.did} is deactivated`);
      const document = isJsonObject(record.document) ? { ...record.document, revoked: bifTime(ctx.now()) } : record.document;
      return ctx.store.deactivate(params.did, { document, at: ctx.now() });
    },
  };
}

/** The did:vaa emulator, mounted at `vaa`. */
export const vaaEmulator: UpstreamEmulator = createVaaEmulator();
