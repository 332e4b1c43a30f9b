/**
 * did:weid: identifiers, translation of the published v1 and v3 documents (golden files reviewed by hand), the change
 * records, lossless round trips in both directions, reverse rendering of other methods' documents, and the §3.3
 * known answers as the adapter exercises them. Resolution over HTTP is in weid-resolve.test.ts.
 */
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { createKeyAdapter } from '../../adapters/key/index.js';
import { createWeidAdapter, WEID_DID_PATTERN } from '../../adapters/weid/index.js';
import { readKeyMaterial } from '../../adapters/weid/keys.js';
import { PRESERVED_MEMBER, unwrapPreserved, wrapPreserved } from '../../adapters/weid/preserved.js';
import { renderFamilyDocument } from '../../adapters/weid/render.js';
import { epochDatetime } from '../../adapters/weid/datetime.js';
import { TDID_IDENTIFIER, WEID_IDENTIFIER, isDidUrlWithFragment, isPlainFragment } from '../../adapters/weid/syntax.js';
import { translateFamily, translateFamilyDocument } from '../../adapters/weid/translate.js';
import { checkDocument } from '../../conformance/checks/did-core.js';
import { DidBridgeError } from '../../src/errors.js';
import { decodeWeidPseudoMultibase, encodeDecimalPublicKey, encodeWeidPseudoMultibase } from '../../src/keys/codecs.js';
import { decompressPoint, isOnCurve } from '../../src/keys/curves.js';
import { deriveDid, parseTdidIdentifier, parseWeidIdentifier, weidServiceFragment, weidVerificationMethodFragment } from '../../src/keys/derive.js';
import { generateKeyPair } from '../../src/keys/generate.js';
import { carriedNativeDocument, readPreserved } from '../../src/preserved.js';
import { decodeMultikey, encodeMultikey } from '../../src/keys/multikey.js';
import type { DIDDocument, JsonObject } from '../../src/spec.js';
import { Resolver } from '../../src/resolver.js';
import { isDidUrl, parseDid } from '../../src/syntax/did-url.js';
import { normaliseDatetime } from '../../src/util/datetime.js';
import { isUri } from '../../src/util/uri.js';

const FIXTURES = join(import.meta.dirname, '../../fixtures/weid');
const readJson = (path: string) => JSON.parse(readFileSync(join(FIXTURES, path), 'utf8'));

/** A translation with its preserved data wrapped into metadata, as a resolution carries it. */
function resolvedMetadata(t: { didDocumentMetadata: object; preserved?: object }) {
  return { ...t.didDocumentMetadata, [PRESERVED_MEMBER]: wrapPreserved(t.preserved as JsonObject) };
}

function mustFailures(doc: unknown, metadata?: unknown) {
  return checkDocument(doc, { representation: 'application/did+ld+json', ...(metadata === undefined ? {} : { metadata }) })
    .filter((r) => r.level === 'MUST' && r.status === 'fail')
    .map((r) => `${r.check}: ${JSON.stringify(r.outcomes.filter((o) => o.status === 'fail'))}`);
}

const V1 = readJson('upstream/01-v1-getWeIdDocumentJson.json');
const V3 = readJson('upstream/03-v3-getWeIdDocumentJson.transcribed.json');
const V1_DECIMAL = V1.publicKey[0].publicKey as string;
const V3_DECIMAL = decodeWeidPseudoMultibase(V3.authentication[0].publicKeyMultibase).decimal;

describe('did:weid identifiers (domestic-methods.md §3.2)', () => {
  const adapter = createWeidAdapter();
  const accepts = [
    'did:weid:101:0xd9aeaa982fc21ea9addaf09e4f0c6a23a08d306a',
    'did:weid:0xfd28ad212a2de77fee518b4914b8579a40c601fa',
    'did:weid:0:0x82cf6d7c796126673238eae72d4d81f73596b04a',
    'did:weid:1:0x82cf6d7c796126673238eae72d4d81f73596b04a',
    'did:weid:iot:0xD9AEAA982FC21EA9ADDAF09E4F0C6A23A08D306A',
    'did:weid:1000:1:0x92d5472954c38375371f8bdd2bcce2e64aab1f99',
  ];
  it.each(accepts)('accepts %s', (did) => {
    expect(WEID_DID_PATTERN.test(did)).toBe(true);
    expect(() => adapter.validate!(parseDid(did))).not.toThrow();
  });

  const rejects = readJson('invalid/identifiers.json').cases as Array<{ did: string; why: string }>;
  it.each(rejects)('rejects $did ($why)', ({ did }) => {
    let pattern = false;
    try {
      pattern = WEID_DID_PATTERN.test(did) && (adapter.validate!(parseDid(did)), true);
    } catch (err) {
      expect(err).toBeInstanceOf(DidBridgeError);
      expect((err as DidBridgeError).code).toBe('INVALID_DID');
    }
    expect(pattern).toBe(false);
  });
});

describe('translation of the published samples (golden files)', () => {
  const adapter = createWeidAdapter();
  const goldens = [
    { input: () => V1, expected: 'expected/01-v1-getWeIdDocumentJson.json' },
    { input: () => V3, expected: 'expected/03-v3-getWeIdDocumentJson.transcribed.json' },
    // The whole v1-era REST envelope: translate() unwraps respBody.
    { input: () => readJson('upstream/04-rest-getWeIdDocument-response.json'), expected: 'expected/04-rest-getWeIdDocument-response.json' },
    // A v3 getWeIdDocumentJson envelope: the document arrives as JSON text, the metadata beside it.
    { input: () => JSON.parse(readJson('upstream/responses/v3-getWeIdDocumentJson-success.json').body), expected: 'expected/v3-getWeIdDocumentJson-success.json' },
  ];
  it.each(goldens)('$expected', ({ input, expected }) => {
    const golden = readJson(expected);
    const source = input();
    expect(adapter.recognise!(source)).toBe(true);
    const t = adapter.translate!(source);
    expect(t.didDocument).toStrictEqual(golden.didDocument);
    expect(t.didDocumentMetadata).toStrictEqual(golden.didDocumentMetadata);
    expect([...new Set(t.changes.map((c) => c.rule))].sort()).toStrictEqual([...golden.rules].sort());
    expect(mustFailures(t.didDocument, t.didDocumentMetadata)).toStrictEqual([]);
    // Preserved data passes as DID document metadata too (no numbers, DID Core §7.3).
    expect(mustFailures(t.didDocument, resolvedMetadata(t))).toStrictEqual([]);
  });

  it('records every change with a pointer into the native document and one into the result or #metadata', () => {
    const t = adapter.translate!(V1);
    const byRule = new Map(t.changes.map((c) => [c.rule, c]));
    expect(byRule.get('weid.publicKey-to-verificationMethod')).toMatchObject({ from: '/publicKey/0', to: '/verificationMethod/0' });
    expect(byRule.get('weid.owner-to-controller')).toMatchObject({ from: '/publicKey/0/owner', to: '/verificationMethod/0/controller' });
    expect(byRule.get('weid.decimal-key-to-multibase')).toMatchObject({ from: '/publicKey/0/publicKey', to: '/verificationMethod/0/publicKeyMultibase' });
    expect(byRule.get('weid.created-to-metadata')).toMatchObject({ from: '/created', to: '#metadata/created' });
    expect(byRule.get('weid.service-id-added')).toMatchObject({ from: null, to: '/service/0/id' });
    for (const c of t.changes) {
      expect(c.reason.length).toBeGreaterThan(20);
      expect(c.spec).toMatch(/^https:\/\/www\.w3\.org\/TR\/did-core\/#/);
    }
  });

  it('reports the mislabelled v3 type as a mismatch decided by the key bytes', () => {
    const t = adapter.translate!(V3);
    const mismatch = t.changes.find((c) => c.rule === 'weid.type-mismatch')!;
    expect(mismatch.from).toBe('/authentication/0/type');
    expect(mismatch.reason).toMatch(/secp256k1/);
    expect(mismatch.reason).toMatch(/Ed25519VerificationKey2020/);
  });
});

describe('§3.3 known answers through the adapter', () => {
  const adapter = createWeidAdapter();

  it('the v1 key of the translated document derives the v1 DID', () => {
    const t = adapter.translate!(V1);
    const key = decodeMultikey(t.didDocument.verificationMethod![0]!.publicKeyMultibase);
    expect(key.type).toBe('secp256k1');
    expect(deriveDid({ method: 'weid', publicKey: key, chainId: '101' }).did).toBe(V1.id);
    expect(encodeDecimalPublicKey(decompressPoint('secp256k1', key.bytes))).toBe(V1_DECIMAL);
  });

  it('the v3 key gives the address, the #keys-116cc51b id, the #04b8d8ae service and the publicKeyMultibase round trip', () => {
    const t = adapter.translate!(V3);
    const vm = t.didDocument.verificationMethod![0]!;
    const key = decodeMultikey(vm.publicKeyMultibase);
    expect(deriveDid({ method: 'weid', publicKey: key, chainId: '0' }).did).toBe('did:weid:0:0x82cf6d7c796126673238eae72d4d81f73596b04a');
    const decimal = encodeDecimalPublicKey(decompressPoint('secp256k1', key.bytes));
    expect(decimal).toBe('13079093397463814932731720163442777403208788175453836227824139092404945067394266611910031425181012754616377192193136435818972874637291518463471522281921222');
    expect(vm.id).toBe(`${V3.id}#${weidVerificationMethodFragment(decimal)}`);
    expect(vm.id.endsWith('#keys-116cc51b')).toBe(true);
    expect(t.didDocument.service![0]!.id).toBe(`${V3.id}#${weidServiceFragment(t.didDocument.service![0]!.serviceEndpoint as string)}`);
    expect(t.didDocument.service![0]!.id.endsWith('#04b8d8ae')).toBe(true);
    // Rendering back writes exactly the published pseudo-multibase.
    const { document } = renderFamilyDocument({ shape: 'weid', document: t.didDocument, carry: false });
    expect((document.authentication as JsonObject[])[0]!.publicKeyMultibase).toBe(V3.authentication[0].publicKeyMultibase);
  });
});

describe('lossless round trip: native → W3C → native', () => {
  const cases = [
    { name: 'v1 (samples/weid/01)', doc: () => V1, shape: 'weid-v1' as const },
    { name: 'v3 (samples/weid/03)', doc: () => V3, shape: 'weid' as const },
    { name: 'v1 REST with empty arrays (samples/weid/04)', doc: () => readJson('upstream/04-rest-getWeIdDocument-response.json').respBody, shape: 'weid-v1' as const },
  ];
  it.each(cases)('$name is restored byte for byte', ({ doc, shape }) => {
    const native = doc();
    const t = translateFamilyDocument(native, { method: 'weid' });
    const { document, changes } = renderFamilyDocument({ shape, document: t.didDocument, metadata: resolvedMetadata(t) });
    expect(JSON.stringify(document)).toBe(JSON.stringify(native));
    expect(changes).toStrictEqual([]);
  });

  it('restores what DID Core had no place for: $from, revoked keys, revoked:false, bad endpoints, recovery, non-URI entries', () => {
    const did = V1.id as string;
    const native = {
      ...V1,
      publicKey: [
        { ...V1.publicKey[0], revoked: false },
        { id: `${did}#keys-1`, type: 'Secp256k1', owner: did, publicKey: V3_DECIMAL, revoked: true },
        { id: `${did}#keys-2`, type: 'Secp256k1', owner: did, publicKey: '12345' },
      ],
      authentication: [...V1.authentication, { type: 'Secp256k1', publicKey: `${did}#keys-1` }, 42],
      service: [...V1.service, { type: 'DIDStorage', serviceEndpoint: '192.168.1.23' }, { type: 'Web', serviceEndpoint: 'HTTPS://WeIdentity.Example.COM:443/a/../b' }],
      recovery: ['did:weid:1:2323e3e3dweweewew2'],
      $from: 'toJson',
    };
    const t = translateFamilyDocument(native, { method: 'weid' });
    expect(mustFailures(t.didDocument, resolvedMetadata(t))).toStrictEqual([]);
    // Only the readable, non-revoked key survives; its relationships do not reference dropped keys.
    expect(t.didDocument.verificationMethod!.map((m) => m.id)).toStrictEqual([`${did}#keys-0`]);
    expect(t.didDocument.authentication).toStrictEqual([`${did}#keys-0`]);
    // The bare-IP service is dropped (no scheme to guess), the other endpoint normalised.
    expect(t.didDocument.service!.map((s) => s.serviceEndpoint)).toStrictEqual([
      'https://weidentity.webank.com/endpoint/xxxxx',
      'https://weidentity.example.com/b',
    ]);
    expect(t.didDocument.service!.map((s) => s.id)).toStrictEqual([`${did}#service-0`, `${did}#service-2`]);
    expect(t.didDocument).not.toHaveProperty('recovery');
    expect(t.didDocument).not.toHaveProperty('$from');
    const rules = t.changes.map((c) => c.rule);
    for (const rule of ['weid.key-dropped', 'weid.reference-dropped', 'weid.entry-member-preserved', 'weid.service-dropped', 'weid.service-endpoint-normalised', 'weid.member-preserved']) {
      expect(rules).toContain(rule);
    }
    expect(t.changes.find((c) => c.from === '/publicKey/1')?.reason).toMatch(/revoked/);
    expect(t.changes.find((c) => c.from === '/publicKey/2')?.reason).toMatch(/cannot be read/);
    const { document } = renderFamilyDocument({ shape: 'weid-v1', document: t.didDocument, metadata: resolvedMetadata(t) });
    expect(JSON.stringify(document)).toBe(JSON.stringify(native));
  });

  it('an edited W3C document wins over stale originals', () => {
    const t = translateFamilyDocument(V1, { method: 'weid' });
    const other = generateKeyPair({ type: 'secp256k1' });
    const edited = structuredClone(t.didDocument) as DIDDocument;
    edited.verificationMethod![0]!.publicKeyMultibase = encodeMultikey({ type: 'secp256k1', bytes: other.publicKey });
    const { document, changes } = renderFamilyDocument({ shape: 'weid-v1', document: edited, metadata: resolvedMetadata(t) });
    const keys = document.publicKey as JsonObject[];
    expect(keys).toHaveLength(1);
    expect(keys[0]!.publicKey).toBe(encodeDecimalPublicKey(decompressPoint('secp256k1', other.publicKey)));
    expect(keys[0]!.publicKey).not.toBe(V1_DECIMAL);
    expect(changes.map((c) => c.rule)).toContain('weid.render.original-superseded');
    // The untouched parts are still the originals.
    expect(document.created).toBe(V1.created);
    expect(document.service).toStrictEqual(V1.service);
  });

  it('preserved data in metadata is JSON text, read back only for the right method and shape', () => {
    const t = translateFamilyDocument(V3, { method: 'weid' });
    const wrapped = wrapPreserved(t.preserved as JsonObject);
    expect(wrapped).toMatchObject({ format: 'application/json', method: 'weid', shape: 'weid' });
    expect(typeof wrapped.data).toBe('string');
    expect(unwrapPreserved({ [PRESERVED_MEMBER]: wrapped }, 'weid')).toStrictEqual(t.preserved);
    expect(unwrapPreserved({ [PRESERVED_MEMBER]: wrapped }, 'tdid')).toBeUndefined();
    expect(unwrapPreserved({ [PRESERVED_MEMBER]: { ...wrapped, data: '{not json' } }, 'weid')).toBeUndefined();
    // Another shape renders fresh: the v3 document written as v1.
    const { document } = renderFamilyDocument({ shape: 'weid-v1', document: t.didDocument, metadata: resolvedMetadata(t), carry: false });
    expect((document.publicKey as JsonObject[])[0]).toStrictEqual({ id: `${V3.id}#keys-0`, type: 'Secp256k1', owner: V3.id, publicKey: V3_DECIMAL });
  });
});

describe('preserved data: the native document, re-translated when rendering', () => {
  const adapter = createWeidAdapter();
  /** Metadata whose preserved data is `preserved` (any form), beside the translation's own metadata. */
  const withPreserved = (t: { didDocumentMetadata: object }, preserved: JsonObject) => ({ ...t.didDocumentMetadata, [PRESERVED_MEMBER]: wrapPreserved(preserved) });
  /** A v1 document with entries of every kind the renderer restores piece by piece. */
  const rich = () => {
    const did = V1.id as string;
    return {
      ...V1,
      publicKey: [{ ...V1.publicKey[0], revoked: false }, { id: `${did}#keys-1`, type: 'Secp256k1', owner: did, publicKey: V3_DECIMAL, revoked: true }],
      authentication: [...V1.authentication, { type: 'Secp256k1', publicKey: `${did}#keys-1` }],
      service: [...V1.service, { type: 'DIDStorage', serviceEndpoint: '192.168.1.23' }, { type: 'Web', serviceEndpoint: 'https://weidentity.example.com/b' }],
      $from: 'toJson',
    };
  };

  it('the translation carries the native document it read (the same object, not a copy) and no fingerprints', () => {
    const t = adapter.translate!(V1);
    expect(Object.keys(t.preserved!)).toStrictEqual(['method', 'shape', 'document']);
    expect(t.preserved).toMatchObject({ method: 'weid', shape: 'weid-v1' });
    expect(t.preserved!.document).toBe(V1);
    // An envelope is unwrapped first: what is carried is the document inside it.
    const envelope = readJson('upstream/04-rest-getWeIdDocument-response.json');
    expect(adapter.translate!(envelope).preserved!.document).toBe(envelope.respBody);
    const v3 = translateFamilyDocument(V3, { method: 'weid' });
    expect(v3.preserved).toStrictEqual({ method: 'weid', shape: 'weid', document: V3 });
    expect(v3.preserved!.document).toBe(V3);
  });

  it('the options the result depends on travel as inputs: upstream metadata, the deployment key type, anyDid', () => {
    const body = JSON.parse(readJson('upstream/responses/v3-getWeIdDocumentJson-success.json').body);
    const t = adapter.translate!(body);
    const carried = carriedNativeDocument(readPreserved(withPreserved(t, t.preserved as JsonObject), { method: 'weid' })!)!;
    expect(carried.document).toStrictEqual(JSON.parse(body.respBody.weIdDocumentJson));
    expect(carried.inputs).toStrictEqual({ upstreamMetadata: body.respBody.weIdDocumentMetadata });
    const sm2Chain = createWeidAdapter({ chains: { '101': { baseUrl: 'https://weid.example', cryptoType: 'SM2' } } });
    expect(sm2Chain.translate!(V1).preserved!.inputs).toStrictEqual({ keyType: 'SM2' });
    expect(translateFamilyDocument(V1, { method: 'weid', anyDid: true }).preserved!.inputs).toStrictEqual({ anyDid: true });
    // Limits are not inputs: they decide whether a document is translated, not what it becomes.
    expect(translateFamilyDocument(V1, { method: 'weid', maxEntries: 5 }).preserved).not.toHaveProperty('inputs');
  });

  it('the detailed mode returns the same document, metadata and changes, with the piece-by-piece structure', () => {
    for (const [native, options] of [
      [rich(), { method: 'weid' }],
      [V3, { method: 'weid', upstreamMetadata: { created: 1700000000, updated: 1700000500, versionId: 2 } }],
    ] as const) {
      const fast = translateFamilyDocument(native, options);
      const detailed = translateFamily(native, options, true);
      expect(detailed.didDocument).toStrictEqual(fast.didDocument);
      expect(detailed.didDocumentMetadata).toStrictEqual(fast.didDocumentMetadata);
      expect(detailed.changes).toStrictEqual(fast.changes);
      expect(Object.keys(detailed.preserved!)).toStrictEqual(['method', 'shape', 'order', 'members', 'arrays']);
      expect(detailed.preserved!.order).toStrictEqual(Object.keys(native));
    }
    const pieces = translateFamily(rich(), { method: 'weid' }, true).preserved as { arrays: Record<string, Array<{ translated: string | null }>> };
    // The revoked key and the bare-IP service have no W3C counterpart; the others have a SHA-256 fingerprint.
    expect(pieces.arrays.publicKey!.map((p) => p.translated === null)).toStrictEqual([false, true]);
    expect(pieces.arrays.service!.map((p) => p.translated === null)).toStrictEqual([false, true, false]);
    expect(pieces.arrays.publicKey![0]!.translated).toMatch(/^[0-9a-f]{64}$/);
  });

  it('rendering from the carried document restores the original exactly, with upstream metadata and key type too', () => {
    const native = rich();
    const t = translateFamilyDocument(native, { method: 'weid' });
    const { document, changes } = renderFamilyDocument({ shape: 'weid-v1', document: t.didDocument, metadata: resolvedMetadata(t) });
    expect(JSON.stringify(document)).toBe(JSON.stringify(native));
    expect(changes).toStrictEqual([]);
    // Upstream metadata beside the document takes precedence over its in-document dates, which the metadata then
    // does not show: they are restored only because the re-translation sees the same upstream metadata.
    const upstreamMetadata = { created: 1700000000, updated: 1700000500, versionId: 2 };
    const tu = translateFamilyDocument(V1, { method: 'weid', upstreamMetadata });
    expect(tu.preserved!.inputs).toStrictEqual({ upstreamMetadata });
    expect(JSON.stringify(renderFamilyDocument({ shape: 'weid-v1', document: tu.didDocument, metadata: resolvedMetadata(tu) }).document)).toBe(JSON.stringify(V1));
    const withoutInputs = withPreserved(tu, { method: 'weid', shape: 'weid-v1', document: V1 });
    expect(renderFamilyDocument({ shape: 'weid-v1', document: tu.didDocument, metadata: withoutInputs }).document.created).not.toBe(V1.created);
    // A compressed hex key is read only with the deployment's key type: the re-translation must use it as well.
    const k1 = generateKeyPair({ type: 'secp256k1' });
    const hexKey = { ...V1, publicKey: [...V1.publicKey, { id: `${V1.id}#keys-1`, type: 'Secp256k1VerificationKey2018', owner: V1.id, publicKeyHex: Buffer.from(k1.publicKey).toString('hex') }] };
    const th = translateFamilyDocument(hexKey, { method: 'weid', keyType: 'secp256k1' });
    expect(th.didDocument.verificationMethod).toHaveLength(2);
    // (carry: false: the rendering read back without the key type would lose the hex key, so it would carry the W3C document.)
    const back = renderFamilyDocument({ shape: 'weid-v1', document: th.didDocument, metadata: resolvedMetadata(th), carry: false });
    expect(JSON.stringify(back.document)).toBe(JSON.stringify(hexKey));
    expect(back.changes).toStrictEqual([]);
  });

  it('preserved data of the earlier piece-by-piece form (no document) still renders, as the carried form does', () => {
    const native = rich();
    const t = translateFamilyDocument(native, { method: 'weid' });
    const earlier = translateFamily(native, { method: 'weid' }, true).preserved as JsonObject;
    expect(earlier).not.toHaveProperty('document');
    const edited = structuredClone(t.didDocument) as DIDDocument;
    edited.service![0]!.serviceEndpoint = 'https://edited.example/x';
    for (const document of [t.didDocument, edited]) {
      const fromEarlier = renderFamilyDocument({ shape: 'weid-v1', document, metadata: withPreserved(t, earlier) });
      const fromCarried = renderFamilyDocument({ shape: 'weid-v1', document, metadata: resolvedMetadata(t) });
      expect(fromEarlier).toStrictEqual(fromCarried);
    }
    expect(JSON.stringify(renderFamilyDocument({ shape: 'weid-v1', document: t.didDocument, metadata: withPreserved(t, earlier) }).document)).toBe(JSON.stringify(native));
  });

  it('a carried document that does not translate, or inputs a translation does not take, count as no preserved data', () => {
    const t = translateFamilyDocument(V1, { method: 'weid' });
    const bare = renderFamilyDocument({ shape: 'weid-v1', document: t.didDocument, metadata: t.didDocumentMetadata });
    // Without preserved data the rendering is fresh (and differs from the original: keys are renumbered, ...).
    expect(JSON.stringify(bare.document)).not.toBe(JSON.stringify(V1));
    for (const preserved of [
      { method: 'weid', shape: 'weid-v1', document: { ...V1, id: 'did:weid:101:0xnothex' } },
      { method: 'weid', shape: 'weid-v1', document: { ...V1, publicKey: { not: 'an array' } } },
      { method: 'weid', shape: 'weid-v1', document: V1, inputs: { keyType: 'RSA' } },
      { method: 'weid', shape: 'weid-v1', document: V1, inputs: { upstreamMetadata: 'yesterday' } },
      // The document translates, but to another shape than the data claims.
      { method: 'weid', shape: 'weid-v1', document: V3 },
    ]) {
      expect(renderFamilyDocument({ shape: 'weid-v1', document: t.didDocument, metadata: withPreserved(t, preserved as unknown as JsonObject) })).toStrictEqual(bare);
    }
  });

  it('the adapter\'s renderers translate the carried document under the adapter\'s maxEntries', () => {
    const many = { ...V1, service: Array.from({ length: 1001 }, (_, i) => ({ type: 'S', serviceEndpoint: `https://s${i}.example/` })) };
    const roomy = createWeidAdapter({ maxEntries: 1200 });
    const t = roomy.translate!(many);
    expect(t.didDocument.service).toHaveLength(1001);
    const renderer = roomy.renderers!.find((r) => r.shape === 'weid-v1')!;
    expect(JSON.stringify(renderer.render(t.didDocument, resolvedMetadata(t)).document)).toBe(JSON.stringify(many));
    // Under the default limit (1000) the carried document does not translate: rendered as without preserved data.
    const fresh = renderFamilyDocument({ shape: 'weid-v1', document: t.didDocument, metadata: t.didDocumentMetadata });
    expect(renderFamilyDocument({ shape: 'weid-v1', document: t.didDocument, metadata: resolvedMetadata(t) })).toStrictEqual(fresh);
    expect(JSON.stringify(fresh.document)).not.toBe(JSON.stringify(many));
    expect(() => renderFamilyDocument({ shape: 'weid', document: t.didDocument, maxEntries: 0 })).toThrow(/"maxEntries"/);
  });

  it('an edited W3C document renders its edits, never the stale originals, with the carried document', () => {
    const native = rich();
    const t = translateFamilyDocument(native, { method: 'weid' });
    const edited = structuredClone(t.didDocument) as DIDDocument;
    edited.service![1]!.serviceEndpoint = 'https://edited.example/x';
    edited.service!.push({ id: `${V1.id}#new`, type: 'New', serviceEndpoint: 'https://new.example/' });
    const { document, changes } = renderFamilyDocument({ shape: 'weid-v1', document: edited, metadata: resolvedMetadata(t) });
    expect(document.service).toStrictEqual([
      native.service[0],
      native.service[1],
      { type: 'Web', serviceEndpoint: 'https://edited.example/x' },
      { type: 'New', serviceEndpoint: 'https://new.example/' },
    ]);
    expect(changes.filter((c) => c.rule === 'weid.render.original-superseded').map((c) => c.reason)).toStrictEqual([
      expect.stringMatching(/service\[2\] no longer matches/),
    ]);
    // Untouched pieces are still the originals: both keys (one revoked), $from, the dates.
    expect(document.publicKey).toStrictEqual(native.publicKey);
    expect(document.$from).toBe('toJson');
    expect(document.created).toBe(V1.created);
  });
});

/** A did:key document as the did:key adapter produces it (secp256k1 keys are the ones WeIdentity can hold). */
function didKeyDocument(publicKey: Uint8Array): DIDDocument {
  const fingerprint = encodeMultikey({ type: 'secp256k1', bytes: publicKey });
  const did = `did:key:${fingerprint}`;
  const id = `${did}#${fingerprint}`;
  return {
    '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/multikey/v1'],
    id: did,
    verificationMethod: [{ id, type: 'Multikey', controller: did, publicKeyMultibase: fingerprint }],
    authentication: [id],
    assertionMethod: [id],
    capabilityInvocation: [id],
    capabilityDelegation: [id],
  };
}

/** A did:ethr-style document: a recovery method with only an account id, and a registered secp256k1 key as a JWK. */
function ethrLikeDocument(publicKey: Uint8Array): DIDDocument {
  const did = 'did:ethr:0x5:0xb9c5714089478a327f09197987f16f9e5d936e8a';
  const point = decompressPoint('secp256k1', publicKey);
  const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64url');
  return {
    '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/suites/secp256k1recovery-2020/v2'],
    id: did,
    verificationMethod: [
      { id: `${did}#controller`, type: 'EcdsaSecp256k1RecoveryMethod2020', controller: did, blockchainAccountId: 'eip155:5:0xb9c5714089478a327f09197987f16f9e5d936e8a' },
      { id: `${did}#delegate-1`, type: 'EcdsaSecp256k1VerificationKey2019', controller: did, publicKeyJwk: { kty: 'EC', crv: 'secp256k1', x: b64(point.subarray(1, 33)), y: b64(point.subarray(33)) } },
    ],
    authentication: [`${did}#controller`, `${did}#delegate-1`],
    assertionMethod: [`${did}#controller`, `${did}#delegate-1`],
    service: [{ id: `${did}#hub`, type: 'LinkedDomains', serviceEndpoint: 'https://hub.example.com/' }],
  };
}

/** Keys as (key material, relationships) pairs, independent of ids and encodings. */
function keyRelationships(doc: DIDDocument): string[] {
  const out: string[] = [];
  for (const vm of doc.verificationMethod ?? []) {
    const material = readKeyMaterial(vm as JsonObject, { label: vm.id });
    if (!material?.publicKey) continue;
    const rels = ['authentication', 'assertionMethod', 'capabilityInvocation', 'capabilityDelegation', 'keyAgreement'].filter((r) =>
      ((doc[r] as string[] | undefined) ?? []).includes(vm.id),
    );
    out.push(`${encodeMultikey(material.publicKey)} ${rels.join(',')}`);
  }
  return out.sort();
}

describe('reverse translation of other methods\' documents (W3C → WeIdentity → W3C)', () => {
  const pair = generateKeyPair({ type: 'secp256k1' });
  let resolvedDidKey: DIDDocument;
  beforeAll(async () => {
    // A document exactly as the did:key adapter resolves it.
    const did = `did:key:${encodeMultikey({ type: 'secp256k1', bytes: pair.publicKey })}`;
    const result = await new Resolver({ adapters: [createKeyAdapter()], cache: false }).resolve(did);
    resolvedDidKey = result.didDocument!;
    expect(resolvedDidKey).toStrictEqual(didKeyDocument(pair.publicKey));
  });
  const documents = [
    { name: 'did:key (secp256k1, as resolved by the did:key adapter)', doc: () => resolvedDidKey },
    { name: 'did:ethr-like (recovery method + JWK key)', doc: () => ethrLikeDocument(pair.publicKey) },
  ];

  it.each(documents)('$name: the v3 shape embeds the key with the derived id, pseudo-multibase and decimal', ({ doc }) => {
    const w3c = doc();
    const { document, changes } = renderFamilyDocument({ shape: 'weid', document: w3c, carry: false });
    const decimal = encodeDecimalPublicKey(decompressPoint('secp256k1', pair.publicKey));
    expect(document['@context']).toBe('https://github.com/WeBankFinTech/WeIdentity/blob/master/context/v1');
    expect(document.authentication).toStrictEqual([
      {
        id: `${w3c.id}#${weidVerificationMethodFragment(decimal)}`,
        type: 'Ed25519VerificationKey2020',
        controller: w3c.id,
        publicKeyMultibase: encodeWeidPseudoMultibase({ variant: 'secp256k1', decimal }),
        publicKey: decimal,
      },
    ]);
    expect(decodeWeidPseudoMultibase((document.authentication as JsonObject[])[0]!.publicKeyMultibase as string).variant).toBe('secp256k1');
    expect(changes.map((c) => c.rule)).toContain('weid.render.key-id-rewritten');
  });

  it.each(documents)('$name: the bare shapes keep every key and the authentication/assertion relationships', ({ doc }) => {
    const w3c = doc();
    for (const shape of ['weid', 'weid-v1'] as const) {
      const { document } = renderFamilyDocument({ shape, document: w3c, carry: false });
      const back = translateFamilyDocument(document, { method: 'weid', anyDid: true }).didDocument;
      const expected = keyRelationships(w3c).map((line) => line.replace(/ .*/, ' authentication,assertionMethod'));
      expect(keyRelationships(back)).toStrictEqual(expected);
    }
  });

  it.each(documents)('$name: with the carried W3C document, the round trip returns it unchanged', ({ doc }) => {
    const w3c = doc();
    for (const shape of ['weid', 'weid-v1'] as const) {
      const { document, changes } = renderFamilyDocument({ shape, document: w3c });
      expect(document[PRESERVED_MEMBER]).toBeDefined();
      expect(changes.map((c) => c.rule)).toContain('weid.render.w3c-preserved');
      const back = translateFamilyDocument(document, { method: 'weid', anyDid: true });
      expect(back.didDocument).toStrictEqual(w3c);
      expect(keyRelationships(back.didDocument)).toStrictEqual(keyRelationships(w3c));
      // Editing the rendered document makes the carried copy stale: it is ignored, not trusted.
      const edited = { ...document, service: [{ id: `${w3c.id}#added`, type: 'X', serviceEndpoint: 'https://x.example/' }] };
      const again = translateFamilyDocument(edited, { method: 'weid', anyDid: true });
      expect(again.changes[0]!.rule).toBe('weid.w3c-preserved-ignored');
      expect(again.didDocument).not.toStrictEqual(w3c);
    }
  });

  it('keys WeIdentity cannot hold are left out with a record saying so', () => {
    const ed = generateKeyPair({ type: 'Ed25519' });
    const p256 = generateKeyPair({ type: 'P-256' });
    const did = 'did:example:mixed';
    const w3c: DIDDocument = {
      '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/multikey/v1'],
      id: did,
      verificationMethod: [
        { id: `${did}#ed`, type: 'Multikey', controller: did, publicKeyMultibase: encodeMultikey({ type: 'Ed25519', bytes: ed.publicKey }) },
        { id: `${did}#p256`, type: 'Multikey', controller: did, publicKeyMultibase: encodeMultikey({ type: 'P-256', bytes: p256.publicKey }) },
        { id: `${did}#k1`, type: 'Multikey', controller: did, publicKeyMultibase: encodeMultikey({ type: 'secp256k1', bytes: pair.publicKey }) },
      ],
      authentication: [`${did}#ed`, `${did}#p256`, `${did}#k1`],
      keyAgreement: [`${did}#ed`],
    };
    const { document, changes } = renderFamilyDocument({ shape: 'weid-v1', document: w3c, carry: false });
    expect((document.publicKey as JsonObject[]).map((k) => k.publicKey)).toStrictEqual([encodeDecimalPublicKey(decompressPoint('secp256k1', pair.publicKey))]);
    const leftOut = changes.filter((c) => c.rule === 'weid.render.key-left-out');
    expect(leftOut.map((c) => c.from)).toStrictEqual(['/verificationMethod/0', '/verificationMethod/1']);
    expect(leftOut[0]!.reason).toMatch(/secp256k1 or SM2 keys only.*Ed25519/);
    expect(leftOut[1]!.reason).toMatch(/P-256/);
    expect(changes.find((c) => c.rule === 'weid.render.member-left-out' && c.from === '/keyAgreement')).toBeDefined();
  });

  it('SM2 keys are written with the 12 06 header and the SM2VerificationKey type', () => {
    const sm2 = generateKeyPair({ type: 'SM2' });
    const did = 'did:key:' + encodeMultikey({ type: 'SM2', bytes: sm2.publicKey });
    const w3c: DIDDocument = {
      id: did,
      verificationMethod: [{ id: `${did}#k`, type: 'Multikey', controller: did, publicKeyMultibase: encodeMultikey({ type: 'SM2', bytes: sm2.publicKey }) }],
      authentication: [`${did}#k`],
    };
    const { document } = renderFamilyDocument({ shape: 'weid', document: w3c, carry: false });
    const entry = (document.authentication as JsonObject[])[0]!;
    expect(entry.type).toBe('SM2VerificationKey');
    const decoded = decodeWeidPseudoMultibase(entry.publicKeyMultibase as string);
    expect(decoded.variant).toBe('SM2');
    expect([...decoded.header]).toStrictEqual([0x12, 0x06]);
    expect(decoded.decimal).toBe(encodeDecimalPublicKey(decompressPoint('SM2', sm2.publicKey)));
    const back = translateFamilyDocument(document, { method: 'weid', anyDid: true });
    expect(decodeMultikey(back.didDocument.verificationMethod![0]!.publicKeyMultibase).type).toBe('SM2');
  });

  it('a v3 key that is not an authentication key is left out, not promoted', () => {
    const w3c = didKeyDocument(pair.publicKey);
    delete w3c.authentication;
    const { document, changes } = renderFamilyDocument({ shape: 'weid', document: w3c, carry: false });
    expect(document.authentication).toStrictEqual([]);
    expect(changes.find((c) => c.rule === 'weid.render.key-left-out')?.reason).toMatch(/not an authentication key/);
  });

  it('misuse is a TypeError naming the parameter; a document without id is INVALID_DID_DOCUMENT', () => {
    expect(() => renderFamilyDocument({ shape: 'weid', document: 'x' as never })).toThrow(/"document"/);
    expect(() => renderFamilyDocument({ shape: 'nope' as never, document: { id: 'did:x:1' } })).toThrow(/"shape"/);
    expect(() => renderFamilyDocument({ shape: 'weid', document: {} as DIDDocument })).toThrow(expect.objectContaining({ code: 'INVALID_DID_DOCUMENT' }));
  });

  it('the adapter exposes the weid and weid-v1 renderers', () => {
    const renderers = createWeidAdapter().renderers!;
    expect(renderers.map((r) => r.shape)).toStrictEqual(['weid', 'weid-v1']);
    const { document } = renderers[0]!.render(didKeyDocument(pair.publicKey));
    expect(document).toHaveProperty('authentication');
  });
});

describe('key material and declared types', () => {
  const did = 'did:weid:1:0x82cf6d7c796126673238eae72d4d81f73596b04a';

  it('decides the curve from the bytes when the pseudo-multibase header lies, and records it', () => {
    const sm2 = generateKeyPair({ type: 'SM2' });
    const decimal = encodeDecimalPublicKey(decompressPoint('SM2', sm2.publicKey));
    const doc = {
      id: did,
      authentication: [{ id: `${did}#keys-1`, type: 'Ed25519VerificationKey2020', controller: did, publicKeyMultibase: encodeWeidPseudoMultibase({ variant: 'secp256k1', decimal }) }],
    };
    const t = translateFamilyDocument(doc, { method: 'weid' });
    expect(decodeMultikey(t.didDocument.verificationMethod![0]!.publicKeyMultibase).type).toBe('SM2');
    const rules = t.changes.map((c) => c.rule);
    expect(rules).toContain('weid.pseudo-multibase-header-mismatch');
    expect(rules).toContain('weid.type-mismatch');
  });

  it('drops an entry whose two encodings disagree, and keeps the rest', () => {
    const doc = {
      id: did,
      authentication: [
        { id: `${did}#keys-1`, type: 'Ed25519VerificationKey2020', controller: did, publicKeyMultibase: V3.authentication[0].publicKeyMultibase, publicKey: V1_DECIMAL },
        { id: `${did}#keys-2`, type: 'Ed25519VerificationKey2020', controller: did, publicKeyMultibase: V3.authentication[0].publicKeyMultibase },
      ],
    };
    const t = translateFamilyDocument(doc, { method: 'weid' });
    expect(t.didDocument.verificationMethod!.map((m) => m.id)).toStrictEqual([`${did}#keys-2`]);
    expect(t.changes.find((c) => c.from === '/authentication/0')?.reason).toMatch(/do not denote the same key/);
  });

  it('reads the old spec\'s hex and PEM encodings (RSA → JsonWebKey)', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ type: 'spki', format: 'pem' }) as string;
    // A secp256k1 key whose compressed form is also a valid SM2 point: the bytes alone cannot decide.
    let k1 = generateKeyPair({ type: 'secp256k1' });
    while (!isOnCurve('SM2', k1.publicKey)) k1 = generateKeyPair({ type: 'secp256k1' });
    const doc = {
      id: did,
      publicKey: [
        { id: `${did}#keys-1`, type: 'RsaVerificationKey2018', owner: did, publicKeyPem: rsa },
        { id: `${did}#keys-2`, type: 'Secp256k1VerificationKey2018', owner: did, publicKeyHex: Buffer.from(k1.publicKey).toString('hex') },
      ],
      authentication: [{ type: 'RsaSignatureAuthentication2018', publicKey: `${did}#keys-1` }],
    };
    // A compressed hex point fits several curves: without the deployment's key type it is dropped, with it read.
    const unconfigured = translateFamilyDocument(doc, { method: 'weid' });
    expect(unconfigured.didDocument.verificationMethod!.map((m) => m.id)).toStrictEqual([`${did}#keys-1`]);
    expect(unconfigured.changes.find((c) => c.from === '/publicKey/1')?.reason).toMatch(/compressed point does not identify its curve/);
    const t = translateFamilyDocument(doc, { method: 'weid', keyType: 'secp256k1' });
    const [rsaVm, k1Vm] = t.didDocument.verificationMethod!;
    expect(rsaVm).toMatchObject({ type: 'JsonWebKey', publicKeyJwk: { kty: 'RSA' } });
    expect(k1Vm).toMatchObject({ type: 'Multikey', publicKeyMultibase: encodeMultikey({ type: 'secp256k1', bytes: k1.publicKey }) });
    expect(t.didDocument['@context']).toStrictEqual(['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/multikey/v1', 'https://w3id.org/security/jwk/v1']);
    expect(t.changes.map((c) => c.rule)).toEqual(expect.arrayContaining(['weid.pem-key-to-jwk', 'weid.hex-key-to-multibase']));
    expect(mustFailures(t.didDocument)).toStrictEqual([]);
  });

  it('a bare decimal key in a v1 authentication entry becomes a reference to the matching publicKey', () => {
    const doc = { ...V1, authentication: [{ type: 'Secp256k1', publicKey: V1_DECIMAL }] };
    const t = translateFamilyDocument(doc, { method: 'weid' });
    expect(t.didDocument.authentication).toStrictEqual([`${V1.id}#keys-0`]);
    expect(t.didDocument.verificationMethod).toHaveLength(1);
  });
});

describe('syntax fast paths (adapters/weid/syntax.ts) agree with the general checks', () => {
  const parses = (parse: (did: string) => unknown, did: string) => {
    try {
      parse(did);
      return true;
    } catch {
      return false;
    }
  };
  const fixtureDids = [
    ...(readJson('invalid/identifiers.json').cases as Array<{ did: string }>).map((c) => c.did),
    ...(JSON.parse(readFileSync(join(FIXTURES, '../tdid/invalid/identifiers.json'), 'utf8')).cases as Array<{ did: string }>).map((c) => c.did),
    V1.id, V3.id, 'did:weid:0xfd28ad212a2de77fee518b4914b8579a40c601fa', 'did:weid:1000:1:0x92d5472954c38375371f8bdd2bcce2e64aab1f99',
    'did:tdid:cb534-15:0x1e7115081c178459be8d3844dd129b2234edc6be', 'did:weid:101:0xd9aeaa982fc21ea9addaf09e4f0c6a23a08d306a\n',
  ];
  const idChars = fc.constantFrom(...'did:wetx0123456789abcdefABCDEFgG-_.%# \u00e9'.split(''));
  const generated = fc.oneof(
    fc.array(idChars, { maxLength: 70 }).map((cs) => cs.join('')),
    fc.tuple(fc.constantFrom('did:weid:', 'did:tdid:', 'did:weid:1:', 'did:weid:1:2:', 'did:tdid:ab-1:'), fc.array(fc.constantFrom(...'0x1:aA-'.split('')), { maxLength: 12 }), fc.stringMatching(/^[0-9a-fA-F]{38,42}$/))
      .map(([prefix, middle, hex]) => `${prefix}${middle.join('')}0x${hex}`),
  );

  it('the identifier patterns accept exactly what parseWeidIdentifier and parseTdidIdentifier accept', () => {
    for (const did of fixtureDids) {
      expect(WEID_IDENTIFIER.test(did), did).toBe(parses(parseWeidIdentifier, did));
      expect(TDID_IDENTIFIER.test(did), did).toBe(parses(parseTdidIdentifier, did));
    }
    fc.assert(
      fc.property(generated, (did) => WEID_IDENTIFIER.test(did) === parses(parseWeidIdentifier, did) && TDID_IDENTIFIER.test(did) === parses(parseTdidIdentifier, did)),
      { numRuns: 3000 },
    );
  });

  it('a fragment after the document DID: the fast answer is isDidUrl, and a plain fragment is a DID URL and a URI', () => {
    const fragmentChars = fc.constantFrom(...'az09-._~!$&\'()*+,;=:@/?%Ff#[] "<>\\^`{|}\u00e9\u4e2d\u0000\u007f'.split(''));
    const dids = fc.constantFrom(V1.id as string, 'did:tdid:cb534-15:0x1e7115081c178459be8d3844dd129b2234edc6be', 'did:example:a%20b:c', 'did:web:example.com');
    fc.assert(
      fc.property(dids, fc.array(fragmentChars, { maxLength: 30 }), (did, chars) => {
        const ref = `${did}#${chars.join('')}`;
        const plain = isPlainFragment(ref, did.length + 1);
        return isDidUrlWithFragment(ref, did.length + 1) === isDidUrl(ref) && (!plain || (isDidUrl(ref) && isUri(ref)));
      }),
      { numRuns: 5000 },
    );
    // The DID URL length limit holds on the fast path too.
    const long = `${V1.id}#${'a'.repeat(9000)}`;
    expect(isDidUrl(long)).toBe(false);
    expect(isPlainFragment(long, V1.id.length + 1)).toBe(false);
    expect(isDidUrlWithFragment(long, V1.id.length + 1)).toBe(false);
  });

  it('epoch datetimes written without a Date are what normaliseDatetime writes', () => {
    const edges = [
      0, 1, 59, 60, 86_399, 86_400, 951_782_400, 951_868_799, 1_642_992_401, 1_560_419_409_898, 99_999_999_999, 1e11 - 0.5, 1e11,
      1e11 + 1, 4_107_542_399, 4_107_542_400, 253_402_300_799, 253_402_300_800, 253_402_300_799_999, 253_402_300_800_000,
      8.64e15, 8.64e15 + 1, 1e300, -1, -0.5, -1e11, 0.999, 1_642_992_401.999, Number.MAX_SAFE_INTEGER, Infinity, -Infinity, NaN,
      '1642992401', '2020-01-01T00:00:00Z', null, true, {},
    ];
    for (const value of edges) expect(epochDatetime(value), String(value)).toBe(normaliseDatetime(value));
    fc.assert(
      fc.property(
        fc.oneof(fc.integer({ min: 0, max: 253_402_400_000 }), fc.integer({ min: 99_000_000_000, max: 253_402_400_000_000 }), fc.double({ min: -1e16, max: 1e16, noNaN: true })),
        (value) => epochDatetime(value) === normaliseDatetime(value),
      ),
      { numRuns: 20_000 },
    );
  });

  it('references, key ids and service ids on the fast paths translate as the general checks decide', () => {
    const did = V1.id as string;
    const doc = {
      id: did,
      publicKey: [
        { ...V1.publicKey[0], id: `${did}#keys-0` },
        { ...V1.publicKey[0], id: `${did}#k%20` },
        { ...V1.publicKey[0], id: `${did}#bad%zz` },
        { ...V1.publicKey[0], id: '#rel' },
        { ...V1.publicKey[0], id: '#' },
        { ...V1.publicKey[0], id: `${did}#sp ace` },
      ],
      authentication: [`${did}#keys-0`, '#rel', `${did}#bad%zz`, `${did}#`, `${did}x#keys-0`, { type: 'Secp256k1', publicKey: `${did}#k%20` }],
      service: [
        { id: `${did}#s1`, type: 'X', serviceEndpoint: 'https://a.example/' },
        { id: '#s2', type: 'X', serviceEndpoint: 'https://a.example/' },
        { id: `${did}#s 3`, type: 'X', serviceEndpoint: 'https://a.example/' },
        { id: `${did}#%41`, type: 'X', serviceEndpoint: 'https://a.example/' },
      ],
    };
    const t = translateFamilyDocument(doc, { method: 'weid' });
    // Ids the fast path accepts and ids only isDidUrl accepts (percent-encoded) are kept; the invalid ones are not.
    expect(t.didDocument.verificationMethod!.map((m) => m.id)).toStrictEqual([`${did}#keys-0`, `${did}#k%20`, `${did}#rel`]);
    expect(t.changes.filter((c) => c.rule === 'weid.key-dropped').map((c) => c.from)).toStrictEqual(['/publicKey/2/id', '/publicKey/4/id', '/publicKey/5/id']);
    // A reference into another DID's document (`${did}x` is another DID) is kept; one into this DID with an empty
    // fragment names no key and is dropped.
    expect(t.didDocument.authentication).toStrictEqual([`${did}#keys-0`, `${did}#rel`, `${did}x#keys-0`, `${did}#k%20`]);
    expect(t.didDocument.service!.map((s) => s.id)).toStrictEqual([`${did}#s1`, `${did}#s2`, `${did}#%41`]);
  });
});

describe('bad input never crashes or hangs', () => {
  it.each([
    ['a string', 'did:weid:1:0x'],
    ['null', null],
    ['an array', []],
    ['no id', { publicKey: [] }],
    ['an id of another method', { id: 'did:example:123' }],
    ['an invalid weid id', { id: 'did:weid:1:123456789abcdefghi' }],
    ['publicKey as a map', { id: V1.id, publicKey: {} }],
  ])('%s → INVALID_DID_DOCUMENT', (_name, input) => {
    expect(() => translateFamilyDocument(input, { method: 'weid' })).toThrow(expect.objectContaining({ code: 'INVALID_DID_DOCUMENT' }));
  });

  it('bounds the entries of every array (maxEntries)', () => {
    const doc = { id: V1.id, authentication: Array.from({ length: 11 }, () => `${V1.id}#keys-0`) };
    expect(() => translateFamilyDocument(doc, { method: 'weid', maxEntries: 10 })).toThrow(/limit is 10/);
    expect(() => translateFamilyDocument(doc, { method: 'weid', maxEntries: 11 })).not.toThrow();
    // Keys count across arrays: 6 in publicKey plus 6 embedded is over a limit of 10 even though no array is.
    const key = V1.publicKey[0];
    const keys = { id: V1.id, publicKey: Array.from({ length: 6 }, (_, i) => ({ ...key, id: `${V1.id}#keys-${i}` })), authentication: Array.from({ length: 6 }, (_, i) => ({ ...key, id: `${V1.id}#e-${i}` })) };
    expect(() => translateFamilyDocument(keys, { method: 'weid', maxEntries: 10 })).toThrow(/more than 10 keys/);
  });

  it('garbage entries are dropped with records and the result still conforms', () => {
    const doc = {
      '@context': 5,
      id: V1.id,
      created: 'yesterday',
      publicKey: [null, 'x', { id: 7 }, { id: `${V1.id}#keys-9`, publicKey: '9'.repeat(400) }, { id: `${V1.id}#keys-8`, publicKeyMultibase: 'z' + '1'.repeat(5000) }],
      authentication: ['not a did url', { foo: 'bar' }],
      service: [{ id: 'not a uri', type: 'X', serviceEndpoint: 'https://a.example/' }, { type: 'X', serviceEndpoint: { nested: true } }, { serviceEndpoint: 'https://b.example/' }, 7],
      alsoKnownAs: ['https://example.com/me', 'not a uri', 'https://example.com/me'],
      controller: 'nope',
    };
    const started = performance.now();
    const t = translateFamilyDocument(doc, { method: 'weid' });
    expect(performance.now() - started).toBeLessThan(2000);
    expect(t.didDocument.verificationMethod).toBeUndefined();
    expect(t.didDocument.alsoKnownAs).toStrictEqual(['https://example.com/me']);
    expect(t.didDocument.service).toHaveLength(1);
    expect(t.didDocument).not.toHaveProperty('controller');
    expect(mustFailures(t.didDocument, resolvedMetadata(t))).toStrictEqual([]);
    const { document } = renderFamilyDocument({ shape: 'weid-v1', document: t.didDocument, metadata: resolvedMetadata(t) });
    expect(document).toStrictEqual(doc);
  });
});
