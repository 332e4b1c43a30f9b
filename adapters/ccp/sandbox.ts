/**
 * Sandbox emulator of the Baidu DID resolver (did:ccp), for tests, demos and `didbridge sandbox`.
 *
 * Routes below the mount (did.baidu.com/did-resolver-api/, domestic-methods.md §7):
 *
 * - `GET /v1/did/resolve/{did}[?versionId=N]` and `GET /v1/did/resolve/{did}/{N}` (the spec's `/<version>` DID
 *   path) → `{code: 0, message: "ok", requestID, content: {didDocument}}` in HTTP 200.
 *
 * Baidu documents only the success envelope. What the sandbox answers otherwise is its own choice, kept in
 * {@link CCP_SANDBOX_ERRORS} and documented as such: an unknown DID or version is `{code: 404, message: "DID not
 * found"}`, a malformed DID or version `{code: 400, …}`, all in HTTP 200 like the success envelope; a deactivated
 * DID answers the document with `content.didDocumentMetadata: {deactivated: true}`, the DID Resolution form the API
 * page points to ("详见: W3C Resolving a DID").
 *
 * Documents are stored in the resolved shape the API example shows: `@context` `https://w3id.org/did/v1`, `id`,
 * integer `version` (the store's version number), `created`/`updated` with milliseconds, `publicKey[]` with
 * `#key-N` ids, type `Secp256k1` and uncompressed `04…` hex, `authentication`, `recovery`, `service`.
 *
 * `create` makes a primary and a recovery secp256k1 key, writes the Base DID Document the DID is hashed from
 * (`#keys-1` primary, `#keys-2` recovery, compressed keys as in the specification's example), derives the DID from
 * its compact JSON text (`deriveBaseDocumentDid`; self-consistent only, the real hash input is unpublished), keeps
 * that text in the record's `extra.baseDocument`, and returns the primary key pair (the recovery private key is
 * discarded: the sandbox never asks for it).
 *
 * The seed is the specification's Base DID Document (fixtures/ccp/upstream/, copied from the shared samples with
 * its provenance), given the DID derived from it and the `version`/`created`/`updated` of the resolve example.
 */
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { encodeHex } from '../../src/keys/codecs.js';
import { decompressPoint } from '../../src/keys/curves.js';
import { generateKeyPair } from '../../src/keys/generate.js';
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
import type { JsonObject, JsonValue } from '../../src/spec.js';
import { CCP_DID_PATTERN } from './identifier.js';
import { isJsonObject } from './shared/json.js';
import { CCP_NATIVE_CONTEXT, deriveBaseDocumentDid } from './translate.js';

/** Where the published samples the sandbox seeds from are kept (with their SOURCE.txt manifest). */
export const CCP_UPSTREAM_FIXTURES_DIR = findUpstreamSamplesDir('ccp') ?? fileURLToPath(new URL('../../fixtures/ccp/upstream/', import.meta.url));

/** The sample the seed is built from. */
export const CCP_SEED_SAMPLE = '01-spec-base-did-document.json';

/** `version`, `created` and `updated` of the resolve example on did.baidu.com/did-resolver-api/, given to the seed. */
export const CCP_SEED_TIMES = { created: '2019-10-21T11:12:13.065Z', updated: '2019-10-21T11:17:49.379Z' } as const;

/** The sandbox's error envelopes (Baidu publishes none; see the module comment). */
export const CCP_SANDBOX_ERRORS = {
  notFound: { code: 404, message: 'DID not found' },
  invalidDid: { code: 400, message: 'invalid DID' },
  invalidVersion: { code: 400, message: 'invalid versionId' },
} as const;

/** The seed: the specification's Base DID Document, its derived DID, and the resolved document the sandbox serves. */
export async function ccpSeedDocument(): Promise<{ did: string; baseDocument: JsonObject; document: JsonObject; source: string }> {
  const sample = await loadSample({ dir: CCP_UPSTREAM_FIXTURES_DIR, file: CCP_SEED_SAMPLE });
  if (!isJsonObject(sample.json)) throw new SandboxError('INVALID_DOCUMENT', `${CCP_SEED_SAMPLE} is not a JSON object`);
  const baseDocument = sample.json;
  const did = deriveBaseDocumentDid(baseDocument);
  const { '@context': context, ...rest } = baseDocument;
  const document: JsonObject = { '@context': context ?? CCP_NATIVE_CONTEXT, id: did, version: 1, ...CCP_SEED_TIMES, ...rest };
  return {
    did,
    baseDocument,
    document,
    source: `${sample.source} (Base DID Document; id derived from it, version/created/updated from the resolve API example)`,
  };
}

function envelope(record: DidRecord): SandboxResponse {
  const content: JsonObject = { didDocument: record.document };
  if (record.deactivated) content.didDocumentMetadata = { deactivated: true };
  return jsonReply({ code: 0, message: 'ok', requestID: randomUUID(), content });
}

function resolve(ctx: EmulatorContext, did: string, version: string | undefined): SandboxResponse {
  if (!CCP_DID_PATTERN.test(did)) return jsonReply({ ...CCP_SANDBOX_ERRORS.invalidDid, requestID: randomUUID() });
  if (version !== undefined && !/^[1-9][0-9]{0,14}$/.test(version)) return jsonReply({ ...CCP_SANDBOX_ERRORS.invalidVersion, requestID: randomUUID() });
  const record = ctx.store.get(did, version === undefined ? {} : { versionId: version });
  if (!record || record.method !== 'ccp') return jsonReply({ ...CCP_SANDBOX_ERRORS.notFound, requestID: randomUUID() });
  return envelope(record);
}

/** The resolved-shape document of a DID: keys `#key-N`, uncompressed hex, Baidu's millisecond timestamps. */
function resolvedDocument(did: string, keys: Uint8Array[], version: number, created: string, updated: string, service: JsonValue = []): JsonObject {
  return {
    '@context': CCP_NATIVE_CONTEXT,
    id: did,
    version,
    created,
    updated,
    publicKey: keys.map((key, i) => ({ id: `${did}#key-${i + 1}`, type: 'Secp256k1', publicKeyHex: encodeHex(decompressPoint('secp256k1', key)) })),
    authentication: [`${did}#key-1`],
    recovery: [`${did}#key-2`],
    service,
  };
}

/**
 * The did:ccp emulator.
 * @example
 * const sandbox = await startSandbox({ emulators: [ccpEmulator()] })
 * const adapter = createCcpAdapter({ baseUrl: sandbox.baseUrlFor('ccp') })
 */
export function ccpEmulator(): UpstreamEmulator {
  return {
    method: 'ccp',
    description: 'Baidu DID resolver: GET /v1/did/resolve/{did}[?versionId=] (did.baidu.com/did-resolver-api/)',
    keyTypes: ['secp256k1'],
    createParams: {},

    handle(req: SandboxRequest, ctx: EmulatorContext): SandboxResponse | undefined {
      const [v1, didSegment, resolveSegment, did, version, ...rest] = req.segments;
      if (req.method !== 'GET' || v1 !== 'v1' || didSegment !== 'did' || resolveSegment !== 'resolve' || did === undefined || rest.length > 0) {
        return undefined;
      }
      const queried = req.query.versionId;
      if (version !== undefined && queried !== undefined && version !== queried) {
        return jsonReply({ ...CCP_SANDBOX_ERRORS.invalidVersion, requestID: randomUUID() });
      }
      return resolve(ctx, did, version ?? queried);
    },

    async seed(ctx: EmulatorContext): Promise<void> {
      const seed = await ccpSeedDocument();
      ctx.store.put({
        method: 'ccp',
        did: seed.did,
        document: seed.document,
        extra: { baseDocument: JSON.stringify(seed.baseDocument) },
        source: seed.source,
        at: CCP_SEED_TIMES.created,
        ifExists: 'skip',
      });
    },

    create(ctx: EmulatorContext, _params: CreateParams): CreatedDid {
      const primary = generateKeyPair({ type: 'secp256k1' });
      const recovery = generateKeyPair({ type: 'secp256k1' });
      const baseDocument: JsonObject = {
        '@context': CCP_NATIVE_CONTEXT,
        publicKey: [
          { id: '#keys-1', type: 'Secp256k1', publicKeyHex: encodeHex(primary.publicKey) },
          { id: '#keys-2', type: 'Secp256k1', publicKeyHex: encodeHex(recovery.publicKey) },
        ],
        authentication: ['#keys-1'],
        recovery: ['#keys-2'],
      };
      const did = deriveBaseDocumentDid(baseDocument);
      const now = ctx.now();
      const at = now.toISOString();
      ctx.store.put({
        method: 'ccp',
        did,
        document: resolvedDocument(did, [primary.publicKey, recovery.publicKey], 1, at, at),
        extra: { baseDocument: JSON.stringify(baseDocument) },
        at: now,
      });
      return {
        did,
        verificationMethodId: `${did}#key-1`,
        keyType: 'secp256k1',
        publicKey: decompressPoint('secp256k1', primary.publicKey),
        privateKey: primary.privateKey,
      };
    },

    /**
     * A new version: `document` (a did:ccp document about the same DID) replaces the current one, else `service`
     * (a native service list) replaces its services; either way `version` and `updated` are the upstream's to set.
     */
    update(ctx: EmulatorContext, params: UpdateParams): DidRecord {
      const current = ctx.store.get(params.did);
      if (!current) throw new SandboxError('DID_NOT_FOUND', `${params.did} does not exist`);
      if (current.deactivated) throw new SandboxError('DID_DEACTIVATED', `${params.did} is deactivated`);
      let next: JsonObject;
      if (params.document !== undefined) {
        if (!isJsonObject(params.document) || params.document.id !== params.did) {
          throw new SandboxError('INVALID_REQUEST', '"document" must be a did:ccp document whose id is the DID being updated');
        }
        next = { ...params.document };
      } else {
        if (!isJsonObject(current.document)) throw new SandboxError('INVALID_DOCUMENT', `the stored document of ${params.did} is not an object`);
        next = { ...current.document };
        const service = bodyMember(params as unknown as JsonValue, 'service');
        if (service !== undefined) {
          if (!Array.isArray(service)) throw new SandboxError('INVALID_REQUEST', '"service" must be an array of services');
          next.service = service;
        }
      }
      const now = ctx.now();
      next.version = current.latestVersionId + 1;
      next.updated = now.toISOString();
      return ctx.store.update(params.did, { document: next, at: now });
    },

    deactivate(ctx: EmulatorContext, params: DeactivateParams): DidRecord {
      const current = ctx.store.get(params.did);
      if (current?.deactivated) throw new SandboxError('DID_DEACTIVATED', `${params.did} is deactivated`);
      return ctx.store.deactivate(params.did, { at: ctx.now() });
    },
  };
}
