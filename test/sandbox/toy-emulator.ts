/**
 * A toy upstream for the sandbox tests: method `toy`, a JSON envelope `{code, msg, data}` that reports failures inside
 * HTTP 200 (as most domestic upstreams do), Ed25519 keys from node:crypto.
 *
 * Routes (below the mount):
 * - `GET /v1/did/{did}[?version=N]` → `{code: 0, msg: "ok", data: {document, meta}}`, `{code: 1404}` when unknown,
 *   `{code: 1410, data}` when deactivated.
 * - `POST /v1/query` `{"did": "..."}` → the same; `{code: 1400}` when the body is not JSON.
 * - `GET /v1/boom` throws (to test the server's handling of a crashing emulator).
 *
 * It has `deactivate` (a tombstone document) but no `update`, so the admin surface's generic update path is tested.
 */
import { createHash, generateKeyPairSync } from 'node:crypto';
import type { JsonObject, JsonValue } from '../../src/spec.js';
import {
  bodyMember,
  jsonReply,
  type CreatedDid,
  type EmulatorContext,
  type SandboxRequest,
  type SandboxResponse,
  type UpstreamEmulator,
} from '../../src/sandbox/emulator.js';
import type { DidRecord } from '../../src/sandbox/store.js';

export const TOY_SEED_DID = 'did:toy:seed0000000000000000000000000000000001';
export const TOY_SEED_SOURCE = 'test/sandbox/toy-emulator.ts (hand-written fixture)';

function envelope(record: DidRecord): SandboxResponse {
  const data = {
    document: record.document,
    meta: { versionId: record.versionId, updated: record.updated, deactivated: record.deactivated },
  };
  return record.deactivated ? jsonReply({ code: 1410, msg: 'deactivated', data }) : jsonReply({ code: 0, msg: 'ok', data });
}

function lookup(ctx: EmulatorContext, did: JsonValue | undefined, version?: string): SandboxResponse {
  if (typeof did !== 'string') return jsonReply({ code: 1400, msg: 'bad request' });
  let record: DidRecord | undefined;
  try {
    record = ctx.store.get(did, version === undefined ? {} : { versionId: version });
  } catch {
    return jsonReply({ code: 1400, msg: 'bad version' });
  }
  return record ? envelope(record) : jsonReply({ code: 1404, msg: 'not found' });
}

/** Builds a toy emulator; `mount` lets a test mount two of them. */
export function toyEmulator(options: { mount?: string } = {}): UpstreamEmulator {
  return {
    method: 'toy',
    ...(options.mount ? { mount: options.mount } : {}),
    description: 'toy upstream for tests',
    keyTypes: ['ed25519'],
    createParams: { label: 'a label copied into the document' },
    handle(req: SandboxRequest, ctx: EmulatorContext) {
      const [a, b, c, ...rest] = req.segments;
      if (req.method === 'GET' && a === 'v1' && b === 'did' && c !== undefined && rest.length === 0) {
        return lookup(ctx, c, req.query.version);
      }
      if (req.method === 'POST' && a === 'v1' && b === 'query' && c === undefined) {
        if (req.body === undefined) return jsonReply({ code: 1400, msg: 'bad request' });
        return lookup(ctx, bodyMember(req.body, 'did'));
      }
      if (a === 'v1' && b === 'boom') throw new Error('toy emulator exploded');
      return undefined;
    },
    seed(ctx: EmulatorContext) {
      ctx.store.put({
        method: 'toy',
        did: TOY_SEED_DID,
        document: { id: TOY_SEED_DID, key: [] },
        source: TOY_SEED_SOURCE,
        ifExists: 'skip',
      });
    },
    create(ctx: EmulatorContext, params): CreatedDid {
      const { publicKey, privateKey } = generateKeyPairSync('ed25519');
      const pub = Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url');
      const seed = Buffer.from(privateKey.export({ format: 'jwk' }).d!, 'base64url');
      const did = `did:toy:${createHash('sha256').update(pub).digest('hex').slice(0, 40)}`;
      const verificationMethodId = `${did}#key-1`;
      const document: JsonObject = {
        id: did,
        key: [{ id: verificationMethodId, type: 'Ed25519', publicKeyHex: pub.toString('hex') }],
        ...(typeof params.label === 'string' ? { label: params.label } : {}),
      };
      ctx.store.put({ method: 'toy', did, document, extra: { chain: 'toy-1' } });
      return { did, verificationMethodId, keyType: 'ed25519', publicKey: pub, privateKey: seed };
    },
    deactivate(ctx: EmulatorContext, params): DidRecord {
      return ctx.store.deactivate(params.did, { document: { id: params.did, tombstone: true } });
    },
  };
}
