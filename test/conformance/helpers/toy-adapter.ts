/**
 * An adapter for the toy upstream of the sandbox tests (test/sandbox/toy-emulator.ts), so the conformance tests can
 * run a domestic-style method end to end: resolution over the emulator's envelope (`{code, msg, data}` in HTTP 200),
 * and translation of its native documents (`key: [{id, type: "Ed25519", publicKeyHex}]`) into DID Core with change
 * records. Configured like the domestic adapters: `{ baseUrl }`.
 */
import { base58btc } from 'multiformats/bases/base58';
import type { MethodAdapter, MethodResolution, Translation } from '../../../src/adapter.js';
import { NotFoundError, UpstreamError } from '../../../src/errors.js';
import type { ChangeRecord, DIDDocument } from '../../../src/spec.js';

function isMap(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Whether a value is a toy native document. */
export function isToyDocument(input: unknown): input is { id: string; key: Array<Record<string, unknown>> } {
  return isMap(input) && typeof input.id === 'string' && input.id.startsWith('did:toy:') && Array.isArray(input.key);
}

/** Translates a toy document: `key` → `verificationMethod` (Multikey), authentication added. */
export function translateToy(input: unknown): Translation {
  if (!isToyDocument(input)) throw new TypeError('not a toy document');
  const changes: ChangeRecord[] = [];
  const did = input.id;
  const methods = input.key.map((k, i) => {
    const hex = typeof k.publicKeyHex === 'string' ? k.publicKeyHex : '';
    const bytes = Uint8Array.from([0xed, 0x01, ...Buffer.from(hex, 'hex')]);
    changes.push({ rule: 'toy.key-to-Multikey', from: `/key/${i}`, to: `/verificationMethod/${i}`, reason: '"Ed25519" with publicKeyHex is not DID Core verification material' });
    return { id: String(k.id), type: 'Multikey', controller: did, publicKeyMultibase: base58btc.encode(bytes) };
  });
  const document: DIDDocument = {
    '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/multikey/v1'],
    id: did,
    verificationMethod: methods,
  };
  if (methods.length > 0) {
    document.authentication = methods.map((m) => m.id);
    changes.push({ rule: 'toy.authentication-added', from: '/key', to: '/authentication', reason: 'toy keys authenticate the DID subject' });
  }
  if (typeof (input as Record<string, unknown>).label === 'string') {
    changes.push({ rule: 'toy.label-dropped', from: '/label', to: null, reason: 'a label has no place in DID Core' });
  }
  return { didDocument: document, didDocumentMetadata: {}, changes };
}

/** Creates the toy adapter (`{ baseUrl }` of the toy upstream). */
export function createToyAdapter(config: Record<string, unknown> = {}): MethodAdapter {
  const baseUrl = typeof config.baseUrl === 'string' ? config.baseUrl : 'https://toy.invalid';
  return {
    id: 'toy',
    methods: ['toy'],
    identifierPattern: /^did:toy:[a-z0-9]+$/,
    traits: { updatable: false, deactivatable: true, enumerable: false, historyAvailable: false, humanReadable: false },
    capabilities: { cacheable: true },
    testIdentifiers: () => ['did:toy:notinthesandbox'],
    async resolve(did, _options, context): Promise<MethodResolution> {
      const res = await context.http.request(`${baseUrl}/v1/did/${did.did}`, context.signal ? { signal: context.signal } : {});
      const body = res.json() as { code?: number; data?: { document?: unknown; meta?: { updated?: string } } };
      if (body.code === 1404) throw new NotFoundError(`${did.did} is not registered`);
      if (body.code === 1410) return { didDocument: null, didDocumentMetadata: { deactivated: true }, changes: [] };
      if (body.code !== 0 || !body.data) throw new UpstreamError(`the toy upstream answered code ${String(body.code)}`);
      const t = translateToy(body.data.document);
      return { didDocument: t.didDocument, didDocumentMetadata: { ...t.didDocumentMetadata, ...(body.data.meta?.updated ? { updated: body.data.meta.updated } : {}) }, changes: t.changes };
    },
    recognise: isToyDocument,
    translate: translateToy,
  };
}
