/**
 * did:ccp (Baidu): identifier rules, translation of every fixture against hand-written golden documents
 * (fixtures/ccp/expected, see SOURCE.md), DID Core conformance of the results, and round trips in both directions.
 *
 * Keys in round trips are compared through an independent reading (multiformats base58btc + varint, @noble/curves
 * for compression), not through src/keys.
 */
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { ripemd160 } from '@noble/hashes/legacy.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { varint } from 'multiformats';
import { base58btc } from 'multiformats/bases/base58';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  CCP_DID_PATTERN,
  CCP_TEST_IDENTIFIERS,
  createCcpAdapter,
  deriveBaseDocumentDid,
  recogniseCcpDocument,
  renderCcpDocument,
  translateCcpDocument,
  validateCcpDid,
} from '../../adapters/ccp/index.js';
import { createKeyAdapter, KEY_TEST_IDENTIFIERS } from '../../adapters/key/index.js';
import { checkDocument } from '../../conformance/checks/did-core.js';
import { mustFailures } from '../../conformance/catalogue.js';
import fc from 'fast-check';
import { envelopeMember, flattened, jsonString } from '../../adapters/ccp/shared/json.js';
import { wrapCarriedDocument } from '../../adapters/ccp/shared/preserved.js';
import {
  absoluteReference,
  indexPointer,
  isDidFast,
  isPlainOwnFragment,
  isUnreservedText,
  ownFragmentOf,
  sameContext,
  SmallMap,
  startsWithText,
  translateLegacyDocumentDetailed,
} from '../../adapters/ccp/shared/translate.js';
import { CCP_PROFILE } from '../../adapters/ccp/translate.js';
import { DidBridgeError } from '../../src/errors.js';
import { decodePreserved, preserveNativeDocument, wrapPreserved } from '../../src/preserved.js';
import { DEFAULT_MAX_DID_URL_LENGTH, isDid, isDidUrl } from '../../src/syntax/did-url.js';
import { pointer } from '../../src/translation.js';
import { canonicalJson } from '../../src/util/json.js';
import { Resolver } from '../../src/resolver.js';
import type { DIDDocument, JsonObject, VerificationMethod } from '../../src/spec.js';
import { DID_CORE_CONTEXT_V1 } from '../../src/spec.js';

const fixture = (path: string) => JSON.parse(readFileSync(new URL(`../../fixtures/ccp/${path}`, import.meta.url), 'utf8'));
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const withoutPreserved = (meta: Record<string, unknown>) => Object.fromEntries(Object.entries(meta).filter(([k]) => k !== 'didbridgePreserved'));
const triples = (changes: Array<{ rule: string; from: string | null; to: string | null }>) =>
  changes.map((c) => JSON.stringify([c.rule, c.from, c.to])).sort();

const GOLDEN = ['01-spec-base-did-document', '02-resolve-response', '03-quirks-document'] as const;

/** A verification method's key as "codec:hex(compressed key)", read with multiformats and @noble/curves only. */
function keyOf(vm: Record<string, any>): string {
  if (typeof vm.publicKeyMultibase === 'string') {
    const raw = base58btc.decode(vm.publicKeyMultibase);
    const [code, length] = varint.decode(raw);
    return `${code.toString(16)}:${hex(raw.subarray(length))}`;
  }
  if (vm.publicKeyJwk?.crv === 'secp256k1') {
    const point = new Uint8Array([4, ...Buffer.from(vm.publicKeyJwk.x, 'base64url'), ...Buffer.from(vm.publicKeyJwk.y, 'base64url')]);
    return `e7:${hex(secp256k1.Point.fromBytes(point).toBytes(true))}`;
  }
  return `other:${JSON.stringify(vm)}`;
}

function methodsOf(doc: DIDDocument): Map<string, string> {
  return new Map((doc.verificationMethod ?? []).map((vm: VerificationMethod) => [vm.id, keyOf(vm)]));
}

describe('did:ccp identifiers (domestic-methods.md §7)', () => {
  const valid = [
    ...CCP_TEST_IDENTIFIERS,
    // The DID didbridge derives from the specification's Base DID Document (fixtures/ccp/expected/01).
    'did:ccp:2atbq78fz5F2wT3nexPExmupESQu',
  ];

  it.each(valid)('accepts %s', (did) => {
    expect(CCP_DID_PATTERN.test(did)).toBe(true);
    expect(() => validateCcpDid(did)).not.toThrow();
  });

  it.each(fixture('invalid/identifiers.json').cases as Array<{ did: string; reason: string }>)('refuses $did ($reason)', async ({ did }) => {
    // A resolver pointed at a port nothing listens on: an INVALID_DID answer proves no request was needed.
    const resolver = new Resolver({ adapters: [createCcpAdapter({ baseUrl: 'http://127.0.0.1:9' })], cache: false });
    const result = await resolver.resolve(did);
    expect(result.didResolutionMetadata.error?.type).toBe('https://www.w3.org/ns/did#INVALID_DID');
    await resolver.close();
  });

  it('validate() refuses the specification example because it decodes to 25 bytes, not 20', () => {
    expect(() => validateCcpDid('did:ccp:1FsbKR6UpV6GW8o8szccdxXkquzTg2VZLL')).toThrow(/25 bytes, not the 20/);
  });
});

describe('did:ccp translation: golden documents (fixtures/ccp/expected)', () => {
  it.each(GOLDEN)('%s translates to the golden document, metadata and change list', (name) => {
    const expected = fixture(`expected/${name}.json`);
    const translation = translateCcpDocument(fixture(expected.input));
    expect(translation.didDocument).toEqual(expected.didDocument);
    expect(withoutPreserved(translation.didDocumentMetadata)).toEqual(expected.didDocumentMetadata);
    expect(triples(translation.changes)).toEqual(triples(expected.changes.map(([rule, from, to]: [string, string | null, string | null]) => ({ rule, from, to }))));
  });

  it.each(GOLDEN)('%s passes every MUST of DID Core as application/did+ld+json, with its metadata', (name) => {
    const expected = fixture(`expected/${name}.json`);
    const translation = translateCcpDocument(fixture(expected.input));
    const results = checkDocument(translation.didDocument, {
      representation: 'application/did+ld+json',
      metadata: translation.didDocumentMetadata,
    });
    expect(mustFailures(results).map((r) => r.check)).toEqual([]);
  });

  it('members named like Object.prototype properties ("toString", "constructor") are unknown members, quoted as JSON', () => {
    const base = fixture('upstream/01-spec-base-did-document.json');
    const translation = translateCcpDocument({ ...base, toString: 1, constructor: 'x', 'say "hi"': true });
    const unknown = translation.changes.filter((c) => c.rule === 'ccp.unknown-member-preserved');
    expect(unknown.map((c) => c.from)).toEqual(['/toString', '/constructor', '/say "hi"']);
    expect(unknown[0]!.reason).toMatch(/^"toString" is neither a DID Core property/);
    expect(unknown[2]!.reason).toMatch(/^"say \\"hi\\"" is neither/);
    expect(translation.changes.some((c) => c.rule === 'ccp.toString-preserved' || c.rule === 'ccp.constructor-preserved')).toBe(false);
  });

  it('every change record cites a rule of its method, a DID Core section and a reason', () => {
    for (const name of GOLDEN) {
      const { changes } = translateCcpDocument(fixture(fixture(`expected/${name}.json`).input));
      for (const change of changes) {
        expect(change.rule).toMatch(/^ccp\.[A-Za-z0-9@-]+$/);
        expect(change.spec).toMatch(/^https:\/\/www\.w3\.org\/TR\/did-core\/#/);
        expect(change.reason.length).toBeGreaterThan(20);
      }
    }
  });

  it('decides key types from the key bytes and says why: a secp256k1 key declared SM2 is a mismatch', () => {
    const { changes } = translateCcpDocument(fixture('constructed/03-quirks-document.json'));
    const mismatch = changes.find((c) => c.rule === 'ccp.declared-type-mismatch');
    expect(mismatch?.reason).toMatch(/"SM2" claims SM2 but the key bytes are secp256k1/);
  });

  it('the golden multikeys are the fixture keys, compressed (checked with @noble/curves)', () => {
    const base = fixture('upstream/01-spec-base-did-document.json');
    const { didDocument } = translateCcpDocument(base);
    expect(keyOf(didDocument.verificationMethod![0]!)).toBe(`e7:${base.publicKey[0].publicKeyHex}`);
    const resolved = fixture('constructed/02-resolve-response.json').content.didDocument;
    const translated = translateCcpDocument(resolved).didDocument;
    resolved.publicKey.forEach((key: { publicKeyHex: string }, i: number) => {
      const compressed = hex(secp256k1.Point.fromHex(key.publicKeyHex).toBytes(true));
      expect(keyOf(translated.verificationMethod![i]!)).toBe(`e7:${compressed}`);
    });
  });

  it('refuses a document about another DID than the one resolved, and one whose id is not a DID', () => {
    const doc = fixture('constructed/02-resolve-response.json').content.didDocument;
    expect(() => translateCcpDocument(doc, { expectedDid: 'did:ccp:3CzQLF3qfFVQ1CjGVzVRZaFXrjAd' })).toThrow(
      expect.objectContaining({ code: 'INVALID_DID_DOCUMENT' }),
    );
    expect(() => translateCcpDocument({ ...doc, id: 42 })).toThrow(DidBridgeError);
  });

  it('never throws anything but DidBridgeError or TypeError on hostile documents', () => {
    const hostile: unknown[] = [
      { id: 'did:ccp:ceNobbK6Me9F5zwyE3MKY88QZLw', publicKey: 'nope', authentication: 7, service: 'x', alsoKnownAs: 5 },
      { id: 'did:ccp:ceNobbK6Me9F5zwyE3MKY88QZLw', publicKey: [null, 1, { id: 5 }, { id: '#k', publicKeyHex: 'zz' }], authentication: [null, {}, '::'] },
      { id: 'did:ccp:ceNobbK6Me9F5zwyE3MKY88QZLw', publicKey: [{ id: '#k', publicKeyHex: 'ab'.repeat(5000) }] },
      { id: 'did:ccp:ceNobbK6Me9F5zwyE3MKY88QZLw', publicKey: [{ id: '#k', publicKeyPem: '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----' }] },
      { id: 'did:ccp:ceNobbK6Me9F5zwyE3MKY88QZLw', created: 'yesterday', version: { v: 1 }, proof: [1], service: [{ type: 'X', serviceEndpoint: 'a b' }] },
      { '@context': [null, 5, { '@vocab': 'x' }], id: 'did:ccp:ceNobbK6Me9F5zwyE3MKY88QZLw' },
    ];
    for (const doc of hostile) {
      const t = translateCcpDocument(doc);
      expect(mustFailures(checkDocument(t.didDocument, { representation: 'application/did+ld+json', metadata: t.didDocumentMetadata }))).toEqual([]);
      expect(renderCcpDocument(t.didDocument, t.didDocumentMetadata).document).toEqual(doc);
    }
    expect(() => translateCcpDocument('not a document')).toThrow(TypeError);
    expect(() => translateCcpDocument({ publicKey: [] , id: null })).toThrow(expect.objectContaining({ code: 'INVALID_DID_DOCUMENT' }));
  });
});

describe('did:ccp Base DID Document → DID derivation (self-consistent only: no published pair, §7/§15)', () => {
  it('is base58btc(RIPEMD-160(SHA-256(compact JSON))), recomputed with @noble/hashes and multiformats', () => {
    const base = fixture('upstream/01-spec-base-did-document.json');
    const digest = ripemd160(sha256(new TextEncoder().encode(JSON.stringify(base))));
    expect(deriveBaseDocumentDid(base)).toBe(`did:ccp:${base58btc.encode(digest).slice(1)}`);
    expect(deriveBaseDocumentDid(base)).toBe('did:ccp:2atbq78fz5F2wT3nexPExmupESQu');
  });
});

describe('did:ccp recognise()', () => {
  it('recognises resolved documents, resolve envelopes and Base DID Documents', () => {
    expect(recogniseCcpDocument(fixture('upstream/01-spec-base-did-document.json'))).toBe(true);
    expect(recogniseCcpDocument(fixture('constructed/02-resolve-response.json'))).toBe(true);
    expect(recogniseCcpDocument(fixture('constructed/03-quirks-document.json'))).toBe(true);
  });

  it('does not claim other methods\' documents', () => {
    const ctid = JSON.parse(readFileSync(new URL('../../fixtures/ctid/upstream/01-spec-ctid-document.json', import.meta.url), 'utf8'));
    expect(recogniseCcpDocument(ctid)).toBe(false);
    expect(recogniseCcpDocument({ id: 'did:bid:efnVUgqQFfYeu97ABf6sGm3WFtVXHZB2', publicKey: [{ id: '#key-1', publicKeyHex: 'ab' }] })).toBe(false);
    expect(recogniseCcpDocument({ publicKey: [{ id: '#key-1', publicKeyHex: 'ab' }] })).toBe(false);
    expect(recogniseCcpDocument(null)).toBe(false);
    expect(recogniseCcpDocument([])).toBe(false);
  });
});

/** The native did:ccp documents the round-trip and carried-document tests run on. */
const NATIVES = {
  'the Base DID Document': fixture('upstream/01-spec-base-did-document.json'),
  'the resolved document': fixture('constructed/02-resolve-response.json').content.didDocument,
  'the quirks document': fixture('constructed/03-quirks-document.json'),
  'a document with members named like Object.prototype properties': { ...fixture('upstream/01-spec-base-did-document.json'), toString: 1, constructor: 'x', created: 1558509036 },
};

describe('did:ccp round trips', () => {

  it.each(Object.entries(NATIVES))('ccp → W3C → ccp restores %s exactly, member order included', (_name, native) => {
    const translation = translateCcpDocument(native);
    // Through Translation.preserved and through the wrapped metadata member a resolution carries.
    const fromMetadata = renderCcpDocument(translation.didDocument, translation.didDocumentMetadata).document;
    expect(JSON.stringify(fromMetadata)).toBe(JSON.stringify(native));
    const bare = { ...withoutPreserved(translation.didDocumentMetadata), didbridgePreserved: translation.preserved };
    const fromPreserved = renderCcpDocument(translation.didDocument, bare).document;
    expect(JSON.stringify(fromPreserved)).toBe(JSON.stringify(native));
  });

  it('an edited W3C document is rendered from its content, never overwritten by stale originals', () => {
    const native = fixture('constructed/02-resolve-response.json').content.didDocument;
    const translation = translateCcpDocument(native);
    const edited = structuredClone(translation.didDocument);
    edited.service = [{ id: `${edited.id}#hub`, type: 'IdentityHub', serviceEndpoint: 'https://hub.example.com/' }];
    const restored = renderCcpDocument(edited, translation.didDocumentMetadata).document;
    expect(restored.service).toEqual(edited.service);
    // Everything else is as it was, including what DID Core has no place for.
    expect({ ...restored, service: native.service }).toEqual(native);
    expect(restored.recovery).toEqual(native.recovery);
  });

  it('a W3C document whose keys changed gets its native keys rendered, recovery and proof kept', () => {
    const native = fixture('constructed/02-resolve-response.json').content.didDocument;
    const translation = translateCcpDocument(native);
    const edited = structuredClone(translation.didDocument);
    edited.verificationMethod = edited.verificationMethod!.slice(0, 1);
    const restored = renderCcpDocument(edited, translation.didDocumentMetadata).document as JsonObject;
    expect(restored.publicKey).toEqual([native.publicKey[0]]);
    expect(restored.recovery).toEqual(native.recovery);
    expect(restored.proof).toEqual(native.proof);
    expect(restored.version).toBe(2);
  });

  async function didKeyDocument(did: string): Promise<DIDDocument> {
    const resolver = new Resolver({ adapters: [createKeyAdapter()], cache: false });
    const result = await resolver.resolve(did, { accept: 'application/did+ld+json' });
    await resolver.close();
    return result.didDocument!;
  }

  const ETHR = 'did:ethr:0x26bf14321004e770e7a8b080b7a526d8eed8b388';
  const ethrKey = secp256k1.getPublicKey(sha256(new TextEncoder().encode('didbridge test ethr delegate')), false);
  const ethrLike: DIDDocument = {
    '@context': [DID_CORE_CONTEXT_V1, 'https://w3id.org/security/suites/secp256k1recovery-2020/v2', 'https://w3id.org/security/v3-unstable'],
    id: ETHR,
    verificationMethod: [
      { id: `${ETHR}#controller`, type: 'EcdsaSecp256k1RecoveryMethod2020', controller: ETHR, blockchainAccountId: 'eip155:1:0x26bf14321004e770e7a8b080b7a526d8eed8b388' },
      {
        id: `${ETHR}#delegate-1`,
        type: 'EcdsaSecp256k1VerificationKey2019',
        controller: ETHR,
        publicKeyJwk: { kty: 'EC', crv: 'secp256k1', x: Buffer.from(ethrKey.subarray(1, 33)).toString('base64url'), y: Buffer.from(ethrKey.subarray(33)).toString('base64url') },
      },
    ],
    authentication: [`${ETHR}#controller`],
    assertionMethod: [`${ETHR}#controller`, `${ETHR}#delegate-1`],
  };

  it.each([
    ['an Ed25519 did:key', () => didKeyDocument(KEY_TEST_IDENTIFIERS[0]!)],
    ['a secp256k1 did:key', () => didKeyDocument(KEY_TEST_IDENTIFIERS[2]!)],
    ['an SM2 did:key', () => didKeyDocument(KEY_TEST_IDENTIFIERS[5]!)],
    ['a did:ethr-like document', async () => ethrLike],
  ])('W3C → ccp → W3C keeps every key and relationship of %s', async (_name, load) => {
    const w3c = await load();
    const { document: native } = renderCcpDocument(w3c);
    const back = translateCcpDocument(native).didDocument;
    expect(back.id).toBe(w3c.id);
    // Every key, by id, with the same key bytes (whatever encoding carried it).
    const before = methodsOf(w3c);
    const after = methodsOf(back);
    for (const [id, key] of before) expect([id, after.get(id)]).toEqual([id, key.startsWith('other:') ? expect.any(String) : key]);
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
    for (const rel of ['authentication', 'assertionMethod', 'keyAgreement', 'capabilityInvocation', 'capabilityDelegation'] as const) {
      expect(back[rel] ?? []).toEqual(expect.arrayContaining(w3c[rel] ?? []));
    }
    expect(mustFailures(checkDocument(back, { representation: 'application/did+ld+json' }))).toEqual([]);
  });

  it('renders keys into the ccp shape: publicKey[] with Secp256k1 and uncompressed publicKeyHex', () => {
    const { document } = renderCcpDocument(ethrLike);
    const keys = document.publicKey as Array<Record<string, string>>;
    expect(keys).toEqual([{ id: `${ETHR}#delegate-1`, type: 'Secp256k1', publicKeyHex: hex(ethrKey) }]);
    // The blockchainAccountId method has no key bytes: it stays under its DID Core name.
    expect(document.verificationMethod).toEqual([ethrLike.verificationMethod![0]]);
  });
});

describe('did:ccp preserved data: the carried native document', () => {
  const metadataWith = (meta: Record<string, unknown>, preserved: JsonObject) => ({ ...withoutPreserved(meta), didbridgePreserved: wrapPreserved(preserved) });

  it('is the native document the translation read, not a copy (the envelope unwrapped), and travels in the metadata', () => {
    const envelope = fixture('constructed/02-resolve-response.json');
    const translation = translateCcpDocument(envelope);
    expect(translation.preserved).toStrictEqual({ method: 'ccp', shape: 'ccp', document: envelope.content.didDocument });
    expect(translation.preserved.document).toBe(envelope.content.didDocument);
    expect(decodePreserved(translation.didDocumentMetadata.didbridgePreserved)).toStrictEqual(translation.preserved);
  });

  it.each(Object.entries(NATIVES))('the detailed re-translation of %s gives the same document, metadata and changes, with a fingerprint per member', (_name, native) => {
    const fast = translateCcpDocument(native);
    const detailed = translateLegacyDocumentDetailed(native, CCP_PROFILE);
    expect(detailed.didDocument).toStrictEqual(fast.didDocument);
    expect(withoutPreserved(detailed.didDocumentMetadata)).toStrictEqual(withoutPreserved(fast.didDocumentMetadata));
    expect(detailed.changes).toStrictEqual(fast.changes);
    expect(detailed.preserved.order).toStrictEqual(Object.keys(native));
    for (const name of Object.keys(native)) {
      expect(detailed.preserved.members[name]!.original).toBe(native[name]);
      expect(detailed.preserved.members[name]!.translated).toMatch(/^[0-9a-f]{64}$/);
    }
  });

  it.each(Object.entries(NATIVES))('the earlier piece-by-piece form of %s still restores it exactly, and still renders edits', (_name, native) => {
    const translation = translateCcpDocument(native);
    const earlier = metadataWith(translation.didDocumentMetadata, translateLegacyDocumentDetailed(native, CCP_PROFILE).preserved);
    expect(decodePreserved(earlier.didbridgePreserved)).not.toHaveProperty('document');
    const fromEarlier = renderCcpDocument(translation.didDocument, earlier);
    expect(JSON.stringify(fromEarlier.document)).toBe(JSON.stringify(native));
    expect(fromEarlier).toStrictEqual(renderCcpDocument(translation.didDocument, translation.didDocumentMetadata));
    const edited = structuredClone(translation.didDocument);
    edited.service = [{ id: `${edited.id}#edited`, type: 'Edited', serviceEndpoint: 'https://edited.example/' }];
    expect(renderCcpDocument(edited, earlier).document.service).toStrictEqual(edited.service);
    expect(renderCcpDocument(edited, earlier)).toStrictEqual(renderCcpDocument(edited, translation.didDocumentMetadata));
  });

  it('a carried document that does not translate is treated as no preserved data (a fresh rendering and its change record)', () => {
    const native = NATIVES['the resolved document'];
    const translation = translateCcpDocument(native);
    const fresh = renderCcpDocument(translation.didDocument, withoutPreserved(translation.didDocumentMetadata));
    for (const broken of [{ ...native, id: 'did:ccp:' }, { ...native, id: 42 }, { ...native, publicKey: Array.from({ length: 300 }, () => null) }]) {
      const metadata = metadataWith(translation.didDocumentMetadata, { method: 'ccp', shape: 'ccp', document: broken });
      expect(renderCcpDocument(translation.didDocument, metadata)).toStrictEqual(fresh);
    }
    expect(fresh.changes.some((c) => c.rule === 'ccp.restored')).toBe(false);
    // Data of another method, or carried with inputs the legacy translation does not take, is no preserved data either.
    const foreigners: JsonObject[] = [{ method: 'ctid', shape: 'ccp', document: native }, { method: 'ccp', shape: 'ccp', document: native, inputs: { did: native.id } }];
    for (const foreign of foreigners) {
      expect(renderCcpDocument(translation.didDocument, metadataWith(translation.didDocumentMetadata, foreign))).toStrictEqual(fresh);
    }
  });

  it('an edited W3C document renders its edits from the carried data: the edited member rendered, the rest restored', () => {
    const native = NATIVES['the quirks document'];
    const translation = translateCcpDocument(native);
    const edited = structuredClone(translation.didDocument);
    edited.alsoKnownAs = ['https://example.com/bob'];
    const { document, changes } = renderCcpDocument(edited, translation.didDocumentMetadata);
    expect(document.alsoKnownAs).toStrictEqual(['https://example.com/bob']);
    expect({ ...document, alsoKnownAs: native.alsoKnownAs }).toStrictEqual(native);
    expect(changes.map((c) => [c.rule, c.to])).toStrictEqual([['ccp.member-rendered', '/alsoKnownAs'], ['ccp.restored', '']]);
  });

  it('the adapter\'s renderer translates the carried document again under the adapter\'s maxEntries', () => {
    const native = { ...NATIVES['the resolved document'], recovery: Array.from({ length: 300 }, (_, i) => `#key-${i}`) };
    // As the adapter's resolve() translates it (createCcpAdapter({ maxEntries: 300 })); the default limit refuses it.
    const translation = translateCcpDocument(native, { maxEntries: 300 });
    expect(() => translateCcpDocument(native)).toThrow(expect.objectContaining({ code: 'INVALID_DID_DOCUMENT' }));
    const rendered = createCcpAdapter({ maxEntries: 300 }).renderers![0]!.render(translation.didDocument, translation.didDocumentMetadata);
    expect(JSON.stringify(rendered.document)).toBe(JSON.stringify(native));
    // Under the default limit the carried document is refused, so it renders as if nothing were preserved.
    expect(renderCcpDocument(translation.didDocument, translation.didDocumentMetadata).document.recovery).toBeUndefined();
  });
});

describe('did:ccp / did:ctid translation fast paths agree with the general code (seeded)', () => {
  const SEED = 20261126;
  const DIDS = ['did:ccp:2atbq78fz5F2wT3nexPExmupESQu', 'did:ctid:16D44117484372A2D010BDAA56703E723FB4C5C06CA44105F0C9C5B8020A7073', 'did:example:a%20b:c'];
  const fragmentChar = fc.constantFrom(...'aZ09-._~#/?%:@!$&\'()*+,;= é'.split(''));

  // A key id or reference is known to be a DID URL without a parse when its own fragment is plain.
  const isPlainOwnReference = (ref: string, did: string) => isPlainOwnFragment(ownFragmentOf(ref, `${did}#`), did);

  it('isPlainOwnFragment: only references whose absolute form is a DID URL, and every #<unreserved>, <unreserved>, <did>#<unreserved>', () => {
    fc.assert(
      fc.property(fc.constantFrom(...DIDS), fc.constantFrom('', '#', 'own'), fc.array(fragmentChar, { maxLength: 12 }), (did, form, chars) => {
        const fragment = chars.join('');
        const ref = form === 'own' ? `${did}#${fragment}` : `${form}${fragment}`;
        const absolute = absoluteReference(did, ref);
        if (isPlainOwnReference(ref, did)) expect([absolute, isDidUrl(absolute)]).toEqual([`${did}#${ref.slice(ref.lastIndexOf('#') + 1)}`, true]);
        if (chars.length > 0 && chars.every((c) => /^[A-Za-z0-9._~-]$/.test(c))) expect(isPlainOwnReference(ref, did)).toBe(true);
      }),
      { seed: SEED, numRuns: 1000 },
    );
    const did = DIDS[0]!;
    for (const ref of ['#', '', `${did}#`, '#a b', 'a#b', `${did}#a#b`, `${did}x#a`, 'did:other:x#a', '#a\n', 'a:b']) {
      expect([ref, isPlainOwnReference(ref, did)]).toEqual([ref, false]);
    }
    // Over the length limit a DID URL is refused, whatever it looks like.
    for (const ref of [`#${'a'.repeat(DEFAULT_MAX_DID_URL_LENGTH)}`, 'a'.repeat(DEFAULT_MAX_DID_URL_LENGTH), `${did}#${'a'.repeat(DEFAULT_MAX_DID_URL_LENGTH)}`]) {
      expect([isPlainOwnReference(ref, did), isDidUrl(absoluteReference(did, ref))]).toEqual([false, false]);
    }
    const fits = `#${'a'.repeat(DEFAULT_MAX_DID_URL_LENGTH - did.length - 1)}`;
    expect([isPlainOwnReference(fits, did), isDidUrl(absoluteReference(did, fits))]).toEqual([true, true]);
  });

  it('indexPointer is pointer(name, index)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.constantFrom('publicKey', 'a/b', 'a~b', '~/', '')), fc.nat(), (name, index) => {
        expect(indexPointer(name, index)).toBe(pointer(name, index));
      }),
      { seed: SEED, numRuns: 1000 },
    );
  });

  it('isDidFast is isDid', () => {
    const char = fc.constantFrom(...'abcXYZ09.-_:%2F#?/ é'.split(''));
    fc.assert(
      fc.property(fc.constantFrom('did:ccp:', 'did:ctid:', 'did:', 'did:A:', 'DID:x:', 'did:a1:', ''), fc.array(char, { maxLength: 16 }), (prefix, chars) => {
        const text = prefix + chars.join('');
        expect(isDidFast(text)).toBe(isDid(text));
      }),
      { seed: SEED, numRuns: 3000 },
    );
    for (const did of [...DIDS, 'did:a::b', 'did:a:b:', `did:a:${'b'.repeat(DEFAULT_MAX_DID_URL_LENGTH)}`]) expect(isDidFast(did)).toBe(isDid(did));
  });

  it('sameContext is canonical JSON equality of a translated @context and the native one', () => {
    const entry = fc.oneof(
      fc.constantFrom('https://www.w3.org/ns/did/v1', 'https://w3id.org/did/v1', 'https://w3id.org/security/multikey/v1'),
      fc.constantFrom({ '@vocab': 'x' }, { b: 1, a: 2 }, { a: 2, b: 1 }),
    );
    const raw = fc.oneof(entry, fc.array(entry, { maxLength: 4 }), fc.constantFrom(null, 5, true, [null], [5]));
    fc.assert(
      fc.property(fc.array(entry, { minLength: 1, maxLength: 4 }), raw, (context, native) => {
        expect(sameContext(context as never, native as never)).toBe(canonicalJson(context) === canonicalJson(native));
      }),
      { seed: SEED, numRuns: 1000 },
    );
    expect(sameContext(['https://www.w3.org/ns/did/v1', { b: 1, a: 2 }], ['https://www.w3.org/ns/did/v1', { a: 2, b: 1 }])).toBe(true);
    expect(sameContext(['https://www.w3.org/ns/did/v1'], 'https://www.w3.org/ns/did/v1')).toBe(false);
  });

  it('flattened returns the text it is given, concatenated or not', () => {
    const did = DIDS[1]!;
    for (const text of [`${did}#`, did, '', '#']) expect(flattened(text)).toBe(text);
  });

  it('jsonString is JSON.stringify of a string', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.constantFrom('#keys-1', 'a"b', 'a\\b', '\u007f', '\ud800', 'é', '')), (text) => {
        expect(jsonString(text)).toBe(JSON.stringify(text));
      }),
      { seed: SEED, numRuns: 2000 },
    );
  });

  it('envelopeMember finds what a case- and whitespace-folding scan of every member finds', () => {
    const general = (envelope: JsonObject, name: string) => {
      if (Object.prototype.hasOwnProperty.call(envelope, name)) return envelope[name];
      const key = Object.keys(envelope).find((k) => k.trim().toLowerCase() === name.toLowerCase());
      return key === undefined ? undefined : envelope[key];
    };
    const name = fc.constantFrom('content', 'didDocument', 'doc', 'code', 'Content', '\u212Aey');
    const key = fc.oneof(
      name,
      fc.constantFrom(' content', '\tCONTENT ', '\u00a0didDocument', 'DIDDOCUMENT', 'Doc', 'key', '\u212Aey', 'KEY', '@context', 'İ', 'c', ''),
      fc.string({ maxLength: 12 }),
    );
    fc.assert(
      fc.property(fc.uniqueArray(key, { maxLength: 6 }), name, (keys, wanted) => {
        const envelope: JsonObject = Object.fromEntries(keys.map((k, i) => [k, i]));
        expect(envelopeMember(envelope, wanted)).toBe(general(envelope, wanted));
      }),
      { seed: SEED, numRuns: 2000 },
    );
  });

  it('ownFragmentOf is the fragment of absoluteReference when that starts with the own prefix, and undefined otherwise', () => {
    fc.assert(
      fc.property(fc.constantFrom(...DIDS), fc.constantFrom('', '#', 'own', 'did:other:x#', ' '), fc.array(fragmentChar, { maxLength: 12 }), (did, form, chars) => {
        const ref = form === 'own' ? `${did}#${chars.join('')}` : `${form}${chars.join('')}`;
        const absolute = absoluteReference(did, ref);
        const ownPrefix = `${did}#`;
        expect(ownFragmentOf(ref, ownPrefix)).toBe(absolute.startsWith(ownPrefix) ? absolute.slice(ownPrefix.length) : undefined);
      }),
      { seed: SEED, numRuns: 2000 },
    );
  });

  it('isUnreservedText is /^[A-Za-z0-9._~-]+$/', () => {
    const char = fc.constantFrom(...'aZ09-._~#/?%:@ é\u0000\u007f\u0080\u017f'.split(''));
    fc.assert(
      fc.property(fc.oneof(fc.array(char, { maxLength: 12 }).map((c) => c.join('')), fc.string({ maxLength: 12 })), (text) => {
        expect(isUnreservedText(text)).toBe(/^[A-Za-z0-9._~-]+$/.test(text));
      }),
      { seed: SEED, numRuns: 3000 },
    );
  });

  it('startsWithText is String#startsWith', () => {
    const text = fc.oneof(fc.string({ maxLength: 90 }), fc.constantFrom(...DIDS.flatMap((did) => [did, `${did}#`, `${did}#keys-1`, `${did}x#a`])));
    fc.assert(
      fc.property(text, text, (a, b) => {
        expect(startsWithText(a, b)).toBe(a.startsWith(b));
        expect(startsWithText(a + b, a)).toBe(true);
      }),
      { seed: SEED, numRuns: 2000 },
    );
  });

  it('SmallMap answers as a Map does, below and past the size where it switches to one', () => {
    const objects = Array.from({ length: 20 }, (_, i) => ({ i }));
    const key = fc.oneof(fc.constantFrom('a', 'b', '', 'keys-1', 'key-1'), fc.string({ maxLength: 3 }), fc.integer({ min: 0, max: 40 }).map(String), fc.constantFrom(...objects));
    const op = fc.tuple(fc.constantFrom('set', 'get', 'has'), key, fc.integer());
    fc.assert(
      fc.property(fc.array(op, { maxLength: 80 }), (ops) => {
        const small = new SmallMap<string | object, number>();
        const map = new Map<string | object, number>();
        for (const [what, k, v] of ops) {
          if (what === 'set') {
            small.set(k, v);
            map.set(k, v);
          } else if (what === 'get') expect(small.get(k)).toBe(map.get(k));
          else expect(small.has(k)).toBe(map.has(k));
        }
        for (const k of map.keys()) expect([k, small.get(k)]).toEqual([k, map.get(k)]);
      }),
      { seed: SEED, numRuns: 1000 },
    );
  });

  it('a document with more keys and references than the small tables hold translates as one with few', () => {
    const did = 'did:ccp:3CzQLF3qfFVQ1CjGVzVRZaFXrjAd';
    const hex = '02e8f8a9909720d1dba21b0b5c873efb3a56fe85c99029e275e971b921d0f3fd13';
    const broken = '4b4042665b3235a12fb49730ff620fef1c96e9efa5c90119abd2e8acfe856053';
    const count = 40;
    const keys = Array.from({ length: count }, (_, i) => ({ id: `#keys-${i + 1}`, type: 'Secp256k1', publicKeyHex: i % 10 === 9 ? broken : hex }));
    const references = [...keys.map((k) => k.id.replace('keys', 'key')), `${did}#keys-1`, '#keys-99'];
    const { didDocument, changes } = translateCcpDocument({ '@context': 'https://w3id.org/did/v1', id: did, publicKey: keys, authentication: references });
    const usable = keys.filter((_, i) => i % 10 !== 9).map((k) => `${did}${k.id}`);
    expect(didDocument.verificationMethod!.map((vm) => vm.id)).toEqual(usable);
    // Every #key-N is repaired to its #keys-N (or dropped when that key is unusable); the repeat and the dangling one are dropped.
    expect(didDocument.authentication).toEqual(usable);
    const rules = (name: string) => changes.filter((c) => c.rule === `ccp.${name}`).length;
    expect([rules('reference-repaired'), rules('reference-dropped'), rules('reference-duplicate-dropped'), rules('key-unusable')]).toEqual([usable.length, count - usable.length + 1, 1, count - usable.length]);
    expect(changes.find((c) => c.rule === 'ccp.reference-dropped' && c.from === '/authentication/9')!.reason).toContain('read as #keys-10, names a key left out because its material is unusable');
  });

  it('a key id left out as unusable and then read again from a later entry: references to it are still dropped', () => {
    const did = 'did:ccp:3CzQLF3qfFVQ1CjGVzVRZaFXrjAd';
    const hex = '02e8f8a9909720d1dba21b0b5c873efb3a56fe85c99029e275e971b921d0f3fd13';
    const broken = '4b4042665b3235a12fb49730ff620fef1c96e9efa5c90119abd2e8acfe856053';
    const { didDocument, changes } = translateCcpDocument({
      id: did,
      publicKey: [{ id: '#keys-1', type: 'Secp256k1', publicKeyHex: broken }, { id: '#keys-1', type: 'Secp256k1', publicKeyHex: hex }],
      authentication: ['#key-1', '#keys-1'],
    });
    expect(didDocument.verificationMethod!.map((vm) => vm.id)).toEqual([`${did}#keys-1`]);
    expect(didDocument.authentication).toEqual([`${did}#keys-1`]);
    expect(changes.filter((c) => c.rule === 'ccp.reference-dropped').map((c) => c.from)).toEqual(['/authentication/0']);
  });

  it('wrapCarriedDocument writes what wrapPreserved(preserveNativeDocument(...)) writes, with or without the text', () => {
    for (const document of [
      fixture('upstream/01-spec-base-did-document.json'),
      fixture('constructed/03-quirks-document.json'),
      // An own "__proto__" member (as JSON.parse makes it), escapes, numbers JSON writes its own way.
      JSON.parse(String.raw`{"__proto__": {"a": 1}, "é\"\\": ["\u2028", -0, 1e21, 0.1]}`) as JsonObject,
    ]) {
      const expected = wrapPreserved(preserveNativeDocument('ccp', 'ccp', document));
      expect(wrapCarriedDocument('ccp', 'ccp', document)).toStrictEqual(expected);
      expect(wrapCarriedDocument('ccp', 'ccp', document, JSON.stringify(document))).toStrictEqual(expected);
    }
  });
});
