/**
 * did:ctid (Anicert): identifier rules, translation of every fixture against hand-written golden documents
 * (fixtures/ctid/expected, see SOURCE.md), DID Core conformance of the results, and round trips in both directions.
 *
 * Keys are compared through an independent reading (multiformats base58btc + varint; SM2 compression from the parity
 * of Y), not through src/keys.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createKeyAdapter, KEY_TEST_IDENTIFIERS } from '../../adapters/key/index.js';
import {
  CTID_DID_PATTERN,
  createCtidAdapter,
  recogniseCtidDocument,
  renderCtidDocument,
  translateCtidDocument,
  validateCtidDid,
} from '../../adapters/ctid/index.js';
import { translateLegacyDocumentDetailed } from '../../adapters/ccp/shared/translate.js';
import { CTID_PROFILE } from '../../adapters/ctid/translate.js';
import { checkDocument } from '../../conformance/checks/did-core.js';
import { decodePreserved, wrapPreserved } from '../../src/preserved.js';
import { mustFailures } from '../../conformance/catalogue.js';
import { Resolver } from '../../src/resolver.js';
import type { DIDDocument, JsonObject } from '../../src/spec.js';
import { multikeyHex as multikey } from '../helpers/results.js';

const fixture = (path: string) => JSON.parse(readFileSync(new URL(`../../fixtures/ctid/${path}`, import.meta.url), 'utf8'));
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const withoutPreserved = (meta: Record<string, unknown>) => Object.fromEntries(Object.entries(meta).filter(([k]) => k !== 'didbridgePreserved'));
const triples = (changes: Array<{ rule: string; from: string | null; to: string | null }>) =>
  changes.map((c) => JSON.stringify([c.rule, c.from, c.to])).sort();

const SPEC_DID = 'did:ctid:16D44117484372A2D010BDAA56703E723FB4C5C06CA44105F0C9C5B8020A7073';
const GOLDEN = ['01-spec-ctid-document', '03-revoked-read-response', '04-expiring-keys-document'] as const;
const goldenInputs = GOLDEN.flatMap((name) => {
  const expected = fixture(`expected/${name}.json`);
  return [expected.input, ...(expected.alsoFrom ?? [])].map((input: string) => [name, input] as const);
});


describe('did:ctid identifiers (domestic-methods.md §8)', () => {
  it.each([SPEC_DID, `did:ctid:${'0'.repeat(64)}`, `did:ctid:${'F'.repeat(64)}`])('accepts %s', (did) => {
    expect(CTID_DID_PATTERN.test(did)).toBe(true);
    expect(() => validateCtidDid(did)).not.toThrow();
  });

  it.each(fixture('invalid/identifiers.json').cases as Array<{ did: string; reason: string }>)('refuses $did ($reason)', async ({ did }) => {
    // Pointed at a port nothing listens on: an INVALID_DID answer proves no request was needed.
    const resolver = new Resolver({ adapters: [createCtidAdapter({ baseUrl: 'http://127.0.0.1:9' })], cache: false });
    const result = await resolver.resolve(did);
    expect(result.didResolutionMetadata.error?.type).toBe('https://www.w3.org/ns/did#INVALID_DID');
    await resolver.close();
  });
});

describe('did:ctid translation: golden documents (fixtures/ctid/expected)', () => {
  it.each(goldenInputs)('%s from %s translates to the golden document, metadata and change list', (name, input) => {
    const expected = fixture(`expected/${name}.json`);
    const translation = translateCtidDocument(fixture(input));
    expect(translation.didDocument).toEqual(expected.didDocument);
    expect(withoutPreserved(translation.didDocumentMetadata)).toEqual(expected.didDocumentMetadata);
    expect(triples(translation.changes)).toEqual(triples(expected.changes.map(([rule, from, to]: [string, string | null, string | null]) => ({ rule, from, to }))));
  });

  it.each(GOLDEN)('%s passes every MUST of DID Core as application/did+ld+json, with its metadata', (name) => {
    const translation = translateCtidDocument(fixture(fixture(`expected/${name}.json`).input));
    const results = checkDocument(translation.didDocument, { representation: 'application/did+ld+json', metadata: translation.didDocumentMetadata });
    expect(mustFailures(results).map((r) => r.check)).toEqual([]);
  });

  it('lifts the sm2p256v1 keys as SM2 Multikeys (sm2-pub 0x1206, compressed from the published 04‖X‖Y)', () => {
    const native = fixture('upstream/01-spec-ctid-document.json');
    const { didDocument } = translateCtidDocument(native);
    native.authentication.forEach((key: { id: string; publicKeyHex: string }, i: number) => {
      const point = Buffer.from(key.publicKeyHex, 'hex');
      const compressed = Buffer.concat([Buffer.from([2 + (point[64]! & 1)]), point.subarray(1, 33)]);
      const vm = didDocument.verificationMethod![i]!;
      expect(vm.id).toBe(key.id);
      expect(multikey(vm.publicKeyMultibase)).toBe(`1206:${hex(compressed)}`);
    });
    expect(didDocument.authentication).toEqual(native.authentication.map((k: { id: string }) => k.id));
    expect(didDocument.assertionMethod).toEqual(didDocument.authentication);
  });

  it('moves the operator proof to metadata as received and never claims it verified', () => {
    const native = fixture('upstream/01-spec-ctid-document.json');
    const { didDocumentMetadata, changes } = translateCtidDocument(native);
    expect(didDocumentMetadata.proof).toEqual(native.proof);
    expect(JSON.stringify(didDocumentMetadata)).not.toMatch(/verified/i);
    expect(changes.find((c) => c.rule === 'ctid.proof-to-metadata')?.reason).toMatch(/does not claim it verified/);
  });

  it('never throws anything but DidBridgeError or TypeError on hostile documents, and restores them', () => {
    const hostile: unknown[] = [
      { id: SPEC_DID, authentication: [{ id: '#keys-1', type: 'sm2p256v1', publicKeyHex: '04' + '00'.repeat(64) }] },
      { id: SPEC_DID, authentication: 'x', service: [{ id: 5, type: [], serviceEndpoint: {} }], revoked: '' },
      { id: SPEC_DID, authentication: [{ id: '#keys-1', type: 'sm2p256v1', expirationDate: 17, publicKeyHex: 'zz' }], update: [], versionId: 'v\u00e9' },
      { id: SPEC_DID, revoked: true, created: '2023-02-30T00:00:00Z' },
    ];
    for (const doc of hostile) {
      const t = translateCtidDocument(doc);
      expect(mustFailures(checkDocument(t.didDocument, { representation: 'application/did+ld+json', metadata: t.didDocumentMetadata }))).toEqual([]);
      expect(renderCtidDocument(t.didDocument, t.didDocumentMetadata).document).toEqual(doc);
    }
    expect(translateCtidDocument({ id: SPEC_DID, revoked: true }).deactivated).toBe(true);
    expect(() => translateCtidDocument(7)).toThrow(TypeError);
    expect(() => translateCtidDocument({ id: 'did:ctid:anicert:' })).toThrow(expect.objectContaining({ code: 'INVALID_DID_DOCUMENT' }));
  });
});

describe('did:ctid recognise()', () => {
  it('recognises documents and read envelopes', () => {
    expect(recogniseCtidDocument(fixture('upstream/01-spec-ctid-document.json'))).toBe(true);
    expect(recogniseCtidDocument(fixture('upstream/02-spec-read-response.json'))).toBe(true);
    expect(recogniseCtidDocument({ authentication: [{ type: 'sm2p256v1', publicKeyHex: '04' }] })).toBe(true);
  });

  it('does not claim other methods\' documents', () => {
    const ccp = JSON.parse(readFileSync(new URL('../../fixtures/ccp/upstream/01-spec-base-did-document.json', import.meta.url), 'utf8'));
    expect(recogniseCtidDocument(ccp)).toBe(false);
    expect(recogniseCtidDocument({ id: 'did:ctid:anicert' })).toBe(false);
    expect(recogniseCtidDocument('did:ctid')).toBe(false);
  });
});

describe('did:ctid round trips', () => {
  const natives = {
    'the specification document': fixture('upstream/01-spec-ctid-document.json'),
    'the revoked document': fixture('constructed/03-revoked-read-response.json').doc,
    'the expiring-keys document': fixture('constructed/04-expiring-keys-document.json'),
  };

  it.each(Object.entries(natives))('ctid → W3C → ctid restores %s exactly, member order included', (_name, native) => {
    const translation = translateCtidDocument(native);
    expect(JSON.stringify(renderCtidDocument(translation.didDocument, translation.didDocumentMetadata).document)).toBe(JSON.stringify(native));
    const bare = { ...withoutPreserved(translation.didDocumentMetadata), didbridgePreserved: translation.preserved };
    expect(JSON.stringify(renderCtidDocument(translation.didDocument, bare).document)).toBe(JSON.stringify(native));
  });

  it('an edited key expiry is rendered back into expirationDate; the untouched members stay as they were', () => {
    const native = fixture('constructed/04-expiring-keys-document.json');
    const translation = translateCtidDocument(native);
    const edited = structuredClone(translation.didDocument);
    edited.verificationMethod![1]!.expires = '2031-01-01T00:00:00Z';
    const restored = renderCtidDocument(edited, translation.didDocumentMetadata).document as JsonObject;
    const keys = restored.authentication as JsonObject[];
    expect(keys.map((k) => k.expirationDate)).toEqual(['2030-12-31T15:59:59Z', '2031-01-01T00:00:00Z']);
    expect(keys.map((k) => k.publicKeyHex)).toEqual(native.authentication.map((k: JsonObject) => k.publicKeyHex));
    expect(restored.proof).toEqual(native.proof);
    expect(restored.service).toEqual(native.service);
    expect(restored.update).toEqual(native.update);
  });

  async function didKeyDocument(did: string): Promise<DIDDocument> {
    const resolver = new Resolver({ adapters: [createKeyAdapter()], cache: false });
    const result = await resolver.resolve(did, { accept: 'application/did+ld+json' });
    await resolver.close();
    return result.didDocument!;
  }

  it.each([
    ['an SM2 did:key', KEY_TEST_IDENTIFIERS[5]!],
    ['an Ed25519 did:key (with its X25519 keyAgreement key)', KEY_TEST_IDENTIFIERS[0]!],
    ['a P-256 did:key', KEY_TEST_IDENTIFIERS[3]!],
  ])('W3C → ctid → W3C keeps every key and relationship of %s', async (_name, did) => {
    const w3c = await didKeyDocument(did);
    const { document: native } = renderCtidDocument(w3c);
    // Keys used for authentication are embedded there, the did:ctid way.
    expect((native.authentication as JsonObject[]).every((k) => typeof k === 'object' && typeof k.publicKeyHex === 'string')).toBe(true);
    const back = translateCtidDocument(native).didDocument;
    const keys = (doc: DIDDocument) => new Map((doc.verificationMethod ?? []).map((vm) => [vm.id, multikey(vm.publicKeyMultibase)]));
    expect(keys(back)).toEqual(keys(w3c));
    for (const rel of ['authentication', 'assertionMethod', 'keyAgreement', 'capabilityInvocation', 'capabilityDelegation'] as const) {
      expect(back[rel] ?? []).toEqual(w3c[rel] ?? []);
    }
    expect(mustFailures(checkDocument(back, { representation: 'application/did+ld+json' }))).toEqual([]);
  });
});

describe('did:ctid preserved data: the carried native document', () => {
  const metadataWith = (meta: Record<string, unknown>, preserved: JsonObject) => ({ ...withoutPreserved(meta), didbridgePreserved: wrapPreserved(preserved) });

  it('is the document inside the read envelope, as read (not a copy), and travels in the metadata', () => {
    const envelope = fixture('upstream/02-spec-read-response.json');
    const translation = translateCtidDocument(envelope);
    expect(translation.preserved).toStrictEqual({ method: 'ctid', shape: 'ctid', document: envelope.doc });
    expect(translation.preserved.document).toBe(envelope.doc);
    expect(decodePreserved(translation.didDocumentMetadata.didbridgePreserved)).toStrictEqual(translation.preserved);
  });

  it.each(['upstream/01-spec-ctid-document.json', 'constructed/04-expiring-keys-document.json'])('the earlier piece-by-piece form of %s restores it exactly, as the carried form does', (path) => {
    const native = fixture(path);
    const translation = translateCtidDocument(native);
    const detailed = translateLegacyDocumentDetailed(native, CTID_PROFILE);
    expect([detailed.didDocument, withoutPreserved(detailed.didDocumentMetadata), detailed.changes]).toStrictEqual([
      translation.didDocument,
      withoutPreserved(translation.didDocumentMetadata),
      translation.changes,
    ]);
    const earlier = metadataWith(translation.didDocumentMetadata, detailed.preserved);
    const fromEarlier = renderCtidDocument(translation.didDocument, earlier);
    expect(JSON.stringify(fromEarlier.document)).toBe(JSON.stringify(native));
    expect(fromEarlier).toStrictEqual(renderCtidDocument(translation.didDocument, translation.didDocumentMetadata));
  });

  it('a carried document that does not translate is treated as no preserved data', () => {
    const native = fixture('upstream/01-spec-ctid-document.json');
    const translation = translateCtidDocument(native);
    const fresh = renderCtidDocument(translation.didDocument, withoutPreserved(translation.didDocumentMetadata));
    const metadata = metadataWith(translation.didDocumentMetadata, { method: 'ctid', shape: 'ctid', document: { ...native, id: 'did:ctid:anicert:' } });
    expect(renderCtidDocument(translation.didDocument, metadata)).toStrictEqual(fresh);
    expect(fresh.changes.some((c) => c.rule === 'ctid.restored')).toBe(false);
  });

  it('an edited W3C document renders its edits from the carried data, never the stale original', () => {
    const native = fixture('upstream/01-spec-ctid-document.json');
    const translation = translateCtidDocument(native);
    const edited = structuredClone(translation.didDocument);
    edited.service = [{ id: `${edited.id}#hub`, type: 'IdentityHub', serviceEndpoint: 'https://hub.example.com/' }];
    const { document } = renderCtidDocument(edited, translation.didDocumentMetadata);
    expect(document.service).toStrictEqual(edited.service);
    expect({ ...document, service: native.service }).toStrictEqual(native);
  });
});
