/**
 * did:bid: identifiers (BID Protocol Specification §3), translation of every published sample against hand-written
 * golden documents (fixtures/bid/expected), resolution through the core Resolver against the BID resolver emulator
 * and against recorded resolver responses on loopback, fault injection, known-answer derivations of created DIDs,
 * and round trips BID → W3C → BID and W3C → BID → W3C.
 */
import { createRequire } from 'node:module';
import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  BID_DID_PATTERN,
  BID_TEST_IDENTIFIERS,
  bidRenderer,
  createBidAdapter,
  createBifRenderer,
  preservedFromMetadata,
  translateBifDocument,
  unwrapBifDocument,
} from '../../adapters/bid/index.js';
import { bidEmulator, createBidEmulator } from '../../adapters/bid/sandbox.js';
import { isPlainNormalHttpUri, serviceEndpointFor } from '../../adapters/bid/services.js';
import { isUri } from '../../src/util/uri.js';
import { commonBifForm, isBareBifDocument, translateBifDocumentDetailed } from '../../adapters/bid/translate.js';
import { createKeyAdapter } from '../../adapters/key/index.js';
import { checkDocument, mustFailures } from '../../conformance/index.js';
import type { MethodAdapter } from '../../src/adapter.js';
import { DidBridgeError } from '../../src/errors.js';
import { decompressPoint } from '../../src/keys/curves.js';
import { decodeMultikey } from '../../src/keys/multikey.js';
import { createHttpClient, type UndiciHttpClient } from '../../src/net/http-client.js';
import { Resolver } from '../../src/resolver.js';
import { rawReply, type UpstreamEmulator } from '../../src/sandbox/emulator.js';
import { startSandbox, type Sandbox, type SandboxRequestEvent } from '../../src/sandbox/server.js';
import { type DIDDocument, type DIDResolutionResult, type JsonObject } from '../../src/spec.js';
import { parseDid } from '../../src/syntax/did-url.js';
import { getAtPointer } from '../../src/translation.js';
import { carriedNativeDocument, decodePreserved, fingerprint, preserveNativeDocument, wrapPreserved } from '../../src/preserved.js';
import { errorName } from '../helpers/results.js';
import { methodFixtures, type Golden } from '../helpers/goldens.js';

/** sm-crypto 0.5.8, the independent (jsbn-based) SM2/SM3 oracle. CommonJS without types: only what is called here. */
const smCrypto = createRequire(import.meta.url)('sm-crypto') as {
  sm2: { getPublicKeyFromPrivateKey(privateKeyHex: string): string };
  sm3(data: number[]): string;
};

const { readText, readJson, goldens, inputOf } = methodFixtures('bid');

function withoutPreserved(metadata: Record<string, unknown>): Record<string, unknown> {
  const { didbridgePreserved: _p, ...rest } = metadata;
  return rest;
}


function errorDetail(result: DIDResolutionResult): string {
  return String(result.didResolutionMetadata.error?.detail ?? '');
}

/** An independent base58 encoder over the BIF alphabet (domestic-methods.md §4.2), for known answers. */
function bifBase58(bytes: Uint8Array): string {
  const alphabet = '123456789AbCDEFGHJKLMNPQRSTuVWXYZaBcdefghijkmnopqrstUvwxyz';
  let n = BigInt('0x' + (Buffer.from(bytes).toString('hex') || '0'));
  let out = '';
  while (n > 0n) {
    out = alphabet[Number(n % 58n)] + out;
    n /= 58n;
  }
  for (const b of bytes) {
    if (b !== 0) break;
    out = '1' + out;
  }
  return out;
}

const SPEC_DID = 'did:bid:efnVUgqQFfYeu97ABf6sGm3WFtVXHZB2';

describe('did:bid identifiers (BID Protocol Specification §3, domestic-methods.md §4.1)', () => {
  const adapter = createBidAdapter();
  const accepts = (did: string) => {
    BID_DID_PATTERN.lastIndex = 0;
    if (!BID_DID_PATTERN.test(did)) return false;
    adapter.validate!(parseDid(did));
    return true;
  };

  it.each([
    [SPEC_DID, 'the spec example'],
    ['did:bid:efj3FikDU8c7An3SPUoRtEWf2JDg1Hg9', 'BID-SDK-JAVA isValidProof example'],
    ['did:bid:efZfEeQAE1jup1H9musAZP1S3PqV3UdF', 'the SDK guide test key'],
    ['did:bid:ef24NBA7au48UTZrUNRHj2p3bnRzF3YCH', 'a 31-character suffix (spec service id)'],
    ['did:bid:ef214PmkhKndUcArDQPgD5J4fFVwqJFPt', 'the Universal Resolver test identifier'],
    ['did:bid:aaaa:efnVUgqQFfYeu97ABf6sGm3WFtVXHZB2', 'a sub-chain AC code'],
    ['did:bid:byol', 'the bare sub-chain form (§3.1: it names a BID document)'],
    ['did:bid:efnVugqQFfYeU97Abf6sGm3WFtVXHZb2', 'the Bitcoin-alphabet twin: syntactically valid, another DID (§4.2)'],
  ])('accepts %s (%s)', (did) => {
    expect(accepts(did)).toBe(true);
  });

  const rejects = (readJson('invalid/identifiers.json') as { reject: Array<{ did: string; why: string }> }).reject;
  it.each(rejects.map((r) => [r.did, r.why]))('refuses %j: %s', async (did) => {
    let refused = false;
    try {
      refused = !accepts(did);
    } catch (err) {
      expect(err).toBeInstanceOf(DidBridgeError);
      expect((err as DidBridgeError).code).toBe('INVALID_DID');
      refused = true;
    }
    expect(refused).toBe(true);
  });

  it('exports the pattern the Universal Resolver routes with, anchored', () => {
    expect(BID_DID_PATTERN.source.startsWith('^')).toBe(true);
    expect(BID_DID_PATTERN.source.endsWith('$')).toBe(true);
    expect(BID_DID_PATTERN.test(`x${SPEC_DID}`)).toBe(false);
  });

  it('rejects malformed configuration with a TypeError naming the setting', () => {
    expect(() => createBidAdapter({ baseUrl: 'ftp://example.com' })).toThrow(/"baseUrl"/);
    expect(() => createBidAdapter({ timeoutMs: -1 })).toThrow(/"timeoutMs"/);
    expect(() => createBidAdapter({ headers: { a: 1 } as never })).toThrow(/"headers"/);
    expect(() => createBidAdapter({ testIdentifiers: ['did:bid:ef1111111111111111111111111111111'] })).toThrow(/"testIdentifiers"/);
    expect(() => createBidAdapter({ testIdentifiers: ['did:web:example.com'] })).toThrow(/"testIdentifiers"/);
    expect(createBidAdapter().testIdentifiers()).toEqual(BID_TEST_IDENTIFIERS);
  });
});

describe('translation of the published samples (domestic-methods.md §4.3, §10)', () => {
  it.each(goldens)('%s equals the hand-written golden document', (_name, golden) => {
    const translation = translateBifDocument(inputOf(golden), { method: 'bid' });
    expect(translation.didDocument).toEqual(golden.didDocument);
    expect(withoutPreserved(translation.didDocumentMetadata)).toEqual(golden.didDocumentMetadata);
    expect([...new Set(translation.changes.map((c) => c.rule))].sort()).toEqual(golden.rules);
  });

  it.each(goldens)('%s passes the DID Core checks with no MUST failure, metadata included', (_name, golden) => {
    const translation = translateBifDocument(inputOf(golden), { method: 'bid' });
    expect(mustFailures(checkDocument(translation.didDocument, { representation: 'application/did+ld+json' }))).toEqual([]);
    const withMetadata = checkDocument(translation.didDocument, {
      representation: 'application/did+ld+json',
      metadata: translation.didDocumentMetadata,
    });
    expect(mustFailures(withMetadata)).toEqual([]);
    // The SHOULD check on metadata names inside the document passes too: created/updated/proof moved out.
    expect(withMetadata.find((r) => r.check === 'did-core.document.no-metadata-properties')?.status).toBe('pass');
  });

  it.each(goldens)('%s: every change record points into the native document and into the result', (_name, golden) => {
    const native = unwrapBifDocument(inputOf(golden), 'bid');
    const translation = translateBifDocument(native, { method: 'bid' });
    for (const change of translation.changes) {
      expect(change.rule.startsWith('bid.')).toBe(true);
      expect(change.reason.length).toBeGreaterThan(10);
      if (change.from !== null && change.from !== '') expect(getAtPointer(native, change.from), `${change.rule} from ${change.from}`).not.toBeUndefined();
      if (change.to !== null && !change.to.startsWith('#metadata')) {
        expect(getAtPointer(translation.didDocument, change.to), `${change.rule} to ${change.to}`).not.toBeUndefined();
      }
      if (change.to?.startsWith('#metadata/')) {
        const name = change.to.slice('#metadata/'.length).split('/')[0]!;
        expect(translation.didDocumentMetadata[name], `${change.rule} to ${change.to}`).not.toBeUndefined();
      }
    }
  });

  it('decides the key type from the key bytes, not from the declared type', () => {
    // A raw (unprefixed) uncompressed SM2 point declared "Ed25519": only the bytes can tell.
    const sm2 = decompressPoint('SM2', decodeMultikey('zEPJcGHUVYyrGAXXGQhLF39KAny4ojC9RPmA777H2iVztKwBd').bytes);
    const sample = structuredClone(readJson('upstream/01-spec-bid-document-example.json')) as JsonObject;
    (sample.publicKey as JsonObject[])[0]!.publicKeyHex = Buffer.from(sm2).toString('hex');
    const translation = translateBifDocument(sample, { method: 'bid' });
    const key = decodeMultikey(translation.didDocument.verificationMethod![0]!.publicKeyMultibase);
    expect(key.type).toBe('SM2');
    const mismatch = translation.changes.find((c) => c.rule === 'bid.declared-type-mismatch');
    expect(mismatch?.from).toBe('/publicKey/0/type');
    expect(mismatch?.reason).toMatch(/"Ed25519" claims Ed25519/);
    // A 32-byte key said to be SM2 is refused rather than re-read: it cannot be an SM2 public key.
    (sample.publicKey as JsonObject[])[1]!.type = 'SM2';
    expect(() => translateBifDocument(sample, { method: 'bid' })).toThrow(/key-2\): the key is said to be SM2 but has 32 bytes/);
  });

  it('reads an SM2 key from a b07a66-encoded publicKeyHex and a secp256k1 key from raw hex', () => {
    const sm2 = decompressPoint('SM2', decodeMultikey('zEPJcGHUVYyrGAXXGQhLF39KAny4ojC9RPmA777H2iVztKwBd').bytes);
    const k1 = decodeMultikey('zQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBme');
    const doc = {
      '@context': ['https://www.w3.org/ns/did/v1'],
      id: SPEC_DID,
      publicKey: [
        { id: `${SPEC_DID}#key-1`, type: 'SM2', controller: SPEC_DID, publicKeyHex: 'b07a66' + Buffer.from(sm2).toString('hex') },
        { id: `${SPEC_DID}#key-2`, type: 'SECP256K1', controller: SPEC_DID, publicKeyHex: Buffer.from(k1.bytes).toString('hex') },
      ],
      authentication: [`${SPEC_DID}#key-1`],
    };
    const translation = translateBifDocument(doc, { method: 'bid' });
    const [first, second] = translation.didDocument.verificationMethod!;
    expect(decodeMultikey(first!.publicKeyMultibase).type).toBe('SM2');
    // sm2-pub 0x1206 as an unsigned varint is 86 24: base58btc "zEPJ…" / "zEP…" for compressed keys.
    expect(first!.publicKeyMultibase!.startsWith('zEP')).toBe(true);
    expect(second!.publicKeyMultibase).toBe('zQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBme');
  });

  it('tolerates whitespace around member names and values (§4.3 quirks) and restores them on the way back', () => {
    const quirky = {
      ' @context': ['https://www.w3.org/ns/did/v1'],
      'id ': ` ${SPEC_DID}`,
      ' publicKey': [
        { 'id ': `${SPEC_DID}#key-1`, type: ' Ed25519', controller: SPEC_DID, publicKeyHex: 'b9906e1b50e81501369cc777979f8bcf27bd1917d794fa6d5e320b1ccc4f48bb ' },
      ],
      authentication: [` ${SPEC_DID}#key-1`],
      isEnable: true,
    };
    const translation = translateBifDocument(quirky, { method: 'bid' });
    expect(translation.didDocument.id).toBe(SPEC_DID);
    expect(translation.didDocument.authentication).toEqual([`${SPEC_DID}#key-1`]);
    expect(translation.didDocument.verificationMethod![0]!.publicKeyMultibase).toBe('z6MkrwdCoTUWCD6dAnkxP8XLwBmwmsK8Kmco1nzB1Wihrovz');
    const rules = translation.changes.map((c) => c.rule);
    expect(rules).toEqual(expect.arrayContaining(['bid.member-name-trimmed', 'bid.value-trimmed', 'bid.reference-trimmed', 'bid.unknown-member-preserved']));
    expect(translation.didDocument).not.toHaveProperty('isEnable');
    expect(bidRenderer.render(translation.didDocument, translation.didDocumentMetadata).document).toEqual(quirky);
  });

  it('keeps non-URI alsoKnownAs entries out of the document but preserved', () => {
    const doc = {
      '@context': ['https://www.w3.org/ns/did/v1'],
      id: SPEC_DID,
      alsoKnownAs: [
        { id: 'did:web:example.com', type: 102 },
        { id: '86.100.1234/abc', type: 104 },
        { id: 'alice', type: 105 },
      ],
    };
    const translation = translateBifDocument(doc, { method: 'bid' });
    expect(translation.didDocument.alsoKnownAs).toEqual(['did:web:example.com']);
    expect(translation.changes.filter((c) => c.rule === 'bid.alsoKnownAs-non-uri-preserved').map((c) => c.from)).toEqual(['/alsoKnownAs/1', '/alsoKnownAs/2']);
    // Preserved inside the carried native document; the renderer's detailed re-translation lists them as a piece.
    expect(carriedNativeDocument(preservedFromMetadata(translation.didDocumentMetadata, 'bid')!)?.document.alsoKnownAs).toEqual(doc.alsoKnownAs);
    expect(translateBifDocumentDetailed(doc, { method: 'bid' }).preserved!.alsoKnownAs).toMatchObject({ original: doc.alsoKnownAs });
    expect(bidRenderer.render(translation.didDocument, translation.didDocumentMetadata).document).toEqual(doc);
  });

  it('drops references to keys the document does not have, but keeps references to other DIDs', () => {
    const doc = {
      '@context': ['https://www.w3.org/ns/did/v1'],
      id: SPEC_DID,
      publicKey: [{ id: `${SPEC_DID}#key-1`, type: 'Ed25519', controller: SPEC_DID, publicKeyHex: 'b9906e1b50e81501369cc777979f8bcf27bd1917d794fa6d5e320b1ccc4f48bb' }],
      authentication: [`${SPEC_DID}#key-1`, `${SPEC_DID}#key-9`, 'did:bid:efZfEeQAE1jup1H9musAZP1S3PqV3UdF#key-1', `${SPEC_DID}#key-1`],
    };
    const translation = translateBifDocument(doc, { method: 'bid' });
    expect(translation.didDocument.authentication).toEqual([`${SPEC_DID}#key-1`, 'did:bid:efZfEeQAE1jup1H9musAZP1S3PqV3UdF#key-1']);
    expect(translation.didDocument.assertionMethod).toEqual([`${SPEC_DID}#key-1`]);
    expect(translation.didDocument.verificationMethod).toHaveLength(1);
    expect(translation.changes.map((c) => c.rule)).toEqual(expect.arrayContaining(['bid.dangling-reference-dropped', 'bid.reference-deduplicated']));
    expect(mustFailures(checkDocument(translation.didDocument, { representation: 'application/did+ld+json' }))).toEqual([]);
  });

  it.each([
    ['not an object', 'did:bid:x'],
    ['no id', { publicKey: [] }],
    ['an id of another method', { id: 'did:web:example.com' }],
    ['an invalid did:bid id', { id: 'did:bid:ef1111111111111111111111111111111' }],
    ['publicKey not a list', { id: SPEC_DID, publicKey: {} }],
    ['a key without material', { id: SPEC_DID, publicKey: [{ id: `${SPEC_DID}#k`, type: 'Ed25519' }] }],
    ['a 31-byte key', { id: SPEC_DID, publicKey: [{ id: `${SPEC_DID}#k`, publicKeyHex: '00'.repeat(31) }] }],
    ['a duplicated key id', { id: SPEC_DID, publicKey: [1, 2].map(() => ({ id: `${SPEC_DID}#k`, publicKeyHex: 'b9906e1b50e81501369cc777979f8bcf27bd1917d794fa6d5e320b1ccc4f48bb' })) }],
  ])('refuses a document with %s as INVALID_DID_DOCUMENT', (_why, input) => {
    let error: unknown;
    try {
      translateBifDocument(input, { method: 'bid' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(DidBridgeError);
    expect((error as DidBridgeError).code).toBe('INVALID_DID_DOCUMENT');
  });

  it('gives services without an id #service-N, builds http(s) endpoints from protocol/port, and leaves UDP/TCP endpoints out', () => {
    const doc = {
      '@context': ['https://www.w3.org/ns/did/v1'],
      id: SPEC_DID,
      service: [
        { type: 'DIDStorage', serviceEndpoint: 'WWW.Example.CN/store', protocol: 2, serverType: 0 },
        { id: `${SPEC_DID}#udp`, type: 'DIDResolver', serviceEndpoint: '10.0.0.1', protocol: 0, serverType: 1, port: 53 },
        { id: `${SPEC_DID}#tls`, type: 'DIDResolver', serviceEndpoint: '10.0.0.2', protocol: '3', port: 443 },
        { id: `${SPEC_DID}#upper`, type: 'DIDRevocation', serviceEndpoint: 'HTTPS://Revocation.Example.com:443/list' },
        { id: `${SPEC_DID}#space`, type: 'DIDDecrypt', serviceEndpoint: 'not a uri at all' },
      ],
    };
    const translation = translateBifDocument(doc, { method: 'bid' });
    expect(translation.didDocument.service).toEqual([
      { id: `${SPEC_DID}#service-1`, type: 'DIDStorage', serviceEndpoint: 'http://www.example.cn/store' },
      { id: `${SPEC_DID}#tls`, type: 'DIDResolver', serviceEndpoint: 'https://10.0.0.2' },
      { id: `${SPEC_DID}#upper`, type: 'DIDRevocation', serviceEndpoint: 'https://revocation.example.com/list' },
    ]);
    const rules = translation.changes.map((c) => `${c.rule} ${c.from}`);
    expect(rules).toEqual(
      expect.arrayContaining([
        'bid.service-id-added /service/0',
        'bid.service-endpoint-built /service/0/serviceEndpoint',
        'bid.service-dropped /service/1',
        'bid.service-endpoint-normalised /service/3/serviceEndpoint',
        'bid.service-dropped /service/4',
      ]),
    );
    expect(translation.changes.find((c) => c.from === '/service/1')?.reason).toMatch(/protocol" 0 \(UDP\) has no URI scheme/);
    expect(mustFailures(checkDocument(translation.didDocument, { representation: 'application/did+ld+json' }))).toEqual([]);
    expect(bidRenderer.render(translation.didDocument, translation.didDocumentMetadata).document).toEqual(doc);
  });

  it('refuses documents with more entries than the configured limits (INTERNAL_ERROR, reason limit-exceeded)', () => {
    const key = (i: number) => ({ id: `${SPEC_DID}#key-${i}`, type: 'Ed25519', publicKeyHex: 'b9906e1b50e81501369cc777979f8bcf27bd1917d794fa6d5e320b1ccc4f48bb' });
    const doc = { id: SPEC_DID, publicKey: [key(1), key(2), key(3)] };
    expect(translateBifDocument(doc, { method: 'bid', limits: { maxVerificationMethods: 3 } }).didDocument.verificationMethod).toHaveLength(3);
    let error: DidBridgeError | undefined;
    try {
      translateBifDocument(doc, { method: 'bid', limits: { maxVerificationMethods: 2 } });
    } catch (err) {
      error = err as DidBridgeError;
    }
    expect(error?.code).toBe('INTERNAL_ERROR');
    expect(error?.message).toMatch(/"publicKey" has 3 entries; didbridge processes at most 2 \(limits\.maxVerificationMethods\)/);
    expect(error?.toProblem()).toMatchObject({ reason: 'limit-exceeded' });
    expect(() => translateBifDocument({ id: SPEC_DID, service: Array.from({ length: 101 }, () => ({})) }, { method: 'bid' })).toThrow(/at most 100 \(limits\.maxListEntries\)/);
    expect(() => createBidAdapter({ limits: { maxListEntries: 0 } })).toThrow(/"limits\.maxListEntries"/);
  });

  it('renders from the document alone when the preserved data is missing, malformed or for another DID', () => {
    const translation = translateBifDocument(readJson('upstream/08-sdk-isValidProof-document-real-encoded-key.json'), { method: 'bid' });
    const fresh = bidRenderer.render(translation.didDocument, {}).document;
    for (const didbridgePreserved of [{ format: 'application/json', data: '{not json' }, 'text', { format: 'application/json', data: JSON.stringify({ shape: 'weid' }) }]) {
      expect(bidRenderer.render(translation.didDocument, { didbridgePreserved }).document).toEqual(fresh);
    }
    const other = { ...translation.didDocument, id: SPEC_DID };
    const rendered = bidRenderer.render(other, translation.didDocumentMetadata);
    expect(rendered.changes[0]).toMatchObject({ rule: 'bid.render.preserved-ignored' });
    // Not the preserved extension of the other document: only what this one's metadata says (ttl).
    expect((rendered.document as JsonObject).extension).toEqual({ ttl: 86400 });
  });

  it('recognises native documents and envelopes, and nothing else', () => {
    const adapter = createBidAdapter();
    expect(adapter.recognise!(readJson('upstream/04-spec-read-response-success.json'))).toBe(true);
    expect(adapter.recognise!(readJson('upstream/08-sdk-isValidProof-document-real-encoded-key.json'))).toBe(true);
    expect(adapter.recognise!(readJson('upstream/01-spec-bid-document-example.json'))).toBe(true);
    expect(adapter.recognise!({ id: 'did:web:example.com' })).toBe(false);
    expect(adapter.recognise!(readJson('upstream/06-spec-read-response-notfound.json'))).toBe(false);
    expect(adapter.recognise!('did:bid:x')).toBe(false);
  });
});

describe('hostile input', () => {
  /** Every JSON pointer of a value, for replacing one member at a time. */
  const pointers = (value: unknown, at = ''): string[] =>
    value !== null && typeof value === 'object'
      ? [at, ...Object.entries(value).flatMap(([k, v]) => pointers(v, `${at}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`))]
      : [at];
  const replaceAt = (root: unknown, ptr: string, replacement: unknown): unknown => {
    if (ptr === '') return replacement;
    const copy = structuredClone(root) as Record<string, unknown>;
    const tokens = ptr.slice(1).split('/').map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
    let node: Record<string, unknown> = copy;
    for (const token of tokens.slice(0, -1)) node = node[token] as Record<string, unknown>;
    node[tokens.at(-1)!] = replacement;
    return copy;
  };
  it.each(['upstream/01-spec-bid-document-example.json', 'upstream/08-sdk-isValidProof-document-real-encoded-key.json'])('translation of %s with any one member replaced by any JSON either fails typed or yields a conformant document that renders back', (file) => {
    const sample = readJson(file);
    const paths = pointers(sample);
    fc.assert(
      // No "__proto__" members: the project's JSON parser drops them from upstream input, and so does the preserved-data reader.
      fc.property(fc.integer({ min: 0, max: paths.length - 1 }), fc.jsonValue({ maxDepth: 3 }).filter((v) => !JSON.stringify(v).includes('"__proto__"')), (index, replacement) => {
        const input = replaceAt(sample, paths[index]!, replacement);
        let translation;
        try {
          translation = translateBifDocument(input, { method: 'bid' });
        } catch (err) {
          expect(err).toBeInstanceOf(DidBridgeError);
          return;
        }
        expect(mustFailures(checkDocument(translation.didDocument, { representation: 'application/did+ld+json', metadata: translation.didDocumentMetadata }))).toEqual([]);
        // Compared as JSON (what goes over the wire): JSON has no -0, which JS values do.
        const asJson = (v: unknown) => JSON.parse(JSON.stringify(v)) as unknown;
        expect(asJson(bidRenderer.render(translation.didDocument, translation.didDocumentMetadata).document)).toEqual(asJson(unwrapBifDocument(input, 'bid')));
      }),
      { numRuns: 300, seed: 20261125 },
    );
  });

  it('rendering any JSON as a document either fails typed or returns a document', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), fc.jsonValue({ maxDepth: 3 }), (document, metadata) => {
        try {
          const { document: out } = bidRenderer.render({ id: 'did:example:1', ...(document as object) } as DIDDocument, metadata as never);
          expect(out).toBeTypeOf('object');
        } catch (err) {
          expect(err).toBeInstanceOf(DidBridgeError);
        }
      }),
      { numRuns: 300, seed: 20261125 },
    );
  });
});

describe('resolution against the BID resolver emulator', () => {
  let sandbox: Sandbox;
  let resolver: Resolver;
  let adapter: MethodAdapter;
  const events: SandboxRequestEvent[] = [];

  beforeAll(async () => {
    sandbox = await startSandbox({ emulators: [bidEmulator], onRequest: (e) => events.push(e) });
    adapter = createBidAdapter({ baseUrl: sandbox.baseUrlFor('bid'), timeoutMs: 2_000 });
    resolver = new Resolver({ adapters: [adapter], cache: false });
  });
  afterAll(async () => {
    await resolver.close();
    await sandbox.close();
  });
  beforeEach(() => {
    sandbox.faults.clear();
    events.length = 0;
  });

  it('resolves a seeded published document to its golden translation, with metadata and change records', async () => {
    const golden = readJson('expected/01-spec-bid-document-example.json') as Golden;
    const result = await resolver.resolve(SPEC_DID, { accept: 'application/did+ld+json' });
    expect(errorName(result)).toBeUndefined();
    expect(result.didDocument).toEqual(golden.didDocument);
    expect(withoutPreserved(result.didDocumentMetadata)).toEqual(golden.didDocumentMetadata);
    expect(result.didResolutionMetadata.contentType).toBe('application/did+ld+json');
    expect([...new Set((result.didResolutionMetadata.didbridgeChanges ?? []).map((c) => c.rule))].sort()).toEqual(golden.rules);
    expect(events.map((e) => `${e.method} ${e.path}`)).toEqual([`GET /bid/${SPEC_DID}`]);
    expect(mustFailures(checkDocument(result.didDocument, { representation: 'application/did+ld+json', metadata: result.didDocumentMetadata }))).toEqual([]);
  });

  it('keeps the native document as original and reports extension.ttl as the TTL', async () => {
    const resolution = await adapter.resolve(parseDid(SPEC_DID), {}, { http: resolver.http, now: () => new Date() });
    expect(resolution.ttlSeconds).toBe(86_400);
    expect(resolution.original).toEqual(readJson('upstream/01-spec-bid-document-example.json'));
  });

  it('answers NOT_FOUND for an unknown DID (errorCode 6)', async () => {
    const result = await resolver.resolve('did:bid:efZfEeQAE1jup1H9musAZP1S3PqV3UdF');
    expect(errorName(result)).toBe('NOT_FOUND');
    expect(errorDetail(result)).toMatch(/errorCode 6/);
    expect(result.didDocument).toBeNull();
    expect(result.didDocumentMetadata).toEqual({});
  });

  it('treats the Bitcoin-alphabet twin of a DID as another DID (NOT_FOUND), not as the same one', async () => {
    expect(errorName(await resolver.resolve('did:bid:efnVugqQFfYeU97Abf6sGm3WFtVXHZb2'))).toBe('NOT_FOUND');
  });

  it('sends the bare sub-chain form upstream, which answers NOT_FOUND when it has no such document', async () => {
    expect(errorName(await resolver.resolve('did:bid:byol'))).toBe('NOT_FOUND');
    expect(events.map((e) => e.path)).toEqual(['/bid/did:bid:byol']);
  });

  it('refuses invalid identifiers with INVALID_DID before any upstream request', async () => {
    const rejects = (readJson('invalid/identifiers.json') as { reject: Array<{ did: string }> }).reject;
    for (const { did } of rejects) {
      const result = await resolver.resolve(did);
      expect(errorName(result), did).toBe('INVALID_DID');
    }
    expect(events).toEqual([]);
  });

  it('resolves a created Ed25519 DID, updates it and deactivates it', async () => {
    const ctx = sandbox.contextFor('bid');
    const created = await bidEmulator.create(ctx, { keyType: 'ed25519' });
    expect(created.did).toMatch(/^did:bid:ef/);
    const first = await resolver.resolve(created.did);
    expect(errorName(first)).toBeUndefined();
    const vm = first.didDocument!.verificationMethod![0]!;
    expect(vm.id).toBe(created.verificationMethodId);
    const key = decodeMultikey(vm.publicKeyMultibase);
    expect(key.type).toBe('Ed25519');
    expect(Buffer.from(key.bytes).equals(Buffer.from(created.publicKey))).toBe(true);
    expect(first.didDocument!.authentication).toEqual([created.verificationMethodId]);
    expect(mustFailures(checkDocument(first.didDocument, { representation: 'application/did+ld+json', metadata: first.didDocumentMetadata }))).toEqual([]);

    const stored = JSON.parse(ctx.store.get(created.did)!.documentJson) as JsonObject;
    await bidEmulator.update!(ctx, { did: created.did, document: { ...stored, updated: '2030-01-02T03:04:05Z' } });
    const updated = await resolver.resolve(created.did);
    expect(updated.didDocumentMetadata.updated).toBe('2030-01-02T03:04:05Z');

    await bidEmulator.deactivate!(ctx, { did: created.did });
    const deactivated = await resolver.resolve(created.did);
    expect(errorName(deactivated)).toBeUndefined();
    expect(deactivated.didDocument).toBeNull();
    expect(deactivated.didDocumentMetadata.deactivated).toBe(true);
    expect((deactivated.didResolutionMetadata.didbridgeChanges ?? []).map((c) => c.rule)).toContain('bid.deactivated-empty-document');
  });

  it('resolves a created SM2 DID to an sm2-pub Multikey of the created key', async () => {
    const created = await bidEmulator.create(sandbox.contextFor('bid'), { keyType: 'sm2' });
    expect(created.did).toMatch(/^did:bid:zf/);
    const result = await resolver.resolve(created.did);
    const key = decodeMultikey(result.didDocument!.verificationMethod![0]!.publicKeyMultibase);
    expect(key.type).toBe('SM2');
    expect(Buffer.from(decompressPoint('SM2', key.bytes)).equals(Buffer.from(created.publicKey))).toBe(true);
  });

  it('resolves a created sub-chain DID', async () => {
    const created = await bidEmulator.create(sandbox.contextFor('bid'), { keyType: 'ed25519', subChain: 'a1b2' });
    expect(created.did).toMatch(/^did:bid:a1b2:ef/);
    expect(errorName(await resolver.resolve(created.did))).toBeUndefined();
  });

  it('caches for extension.ttl seconds, bounded by the policy', async () => {
    const cached = new Resolver({ adapters: [adapter], http: resolver.http, cachePolicy: { maxTtlSeconds: 3600 } });
    await cached.resolve(SPEC_DID);
    const again = await cached.resolve(SPEC_DID);
    expect(again.didResolutionMetadata.servedFromCache).toBe(true);
    expect(events).toHaveLength(1);
  });

  it.each([
    ['an HTTP 503', { kind: 'status', status: 503 }, /HTTP 503/],
    ['an HTTP 404 without the BID envelope', { kind: 'status', status: 404, body: 'no route' }, /HTTP 404/],
    ['a body that is not JSON', { kind: 'garbage' }, /not JSON/],
    ['a reset connection', { kind: 'reset' }, /failed|reset|socket/i],
    ['an oversized body', { kind: 'oversized' }, /limit/],
    ['an answer slower than timeoutMs', { kind: 'delay', delayMs: 4_000 }, /within 2000 ms/],
  ] as const)('maps %s to INTERNAL_ERROR naming the upstream', async (_name, fault, detail) => {
    sandbox.faults.add({ ...fault, mount: 'bid' });
    const result = await resolver.resolve(SPEC_DID);
    expect(errorName(result)).toBe('INTERNAL_ERROR');
    expect(errorDetail(result)).toMatch(/did:bid resolver at 127\.0\.0\.1/);
    expect(errorDetail(result)).toMatch(detail);
  });

  it('sends the configured headers and creates DIDs through the sandbox admin surface', async () => {
    let seen: Record<string, string> = {};
    const tap: UpstreamEmulator = { ...bidEmulator, mount: 'bid-tap', handle: (req, ctx) => ((seen = req.headers), bidEmulator.handle(req, ctx)) };
    const tapped = await startSandbox({ emulators: [tap] });
    try {
      const withHeaders = new Resolver({ adapters: [createBidAdapter({ baseUrl: tapped.baseUrlFor('bid-tap'), headers: { 'x-api-key': 'k-123' } })], http: resolver.http, cache: false });
      expect(errorName(await withHeaders.resolve(SPEC_DID))).toBeUndefined();
      expect(seen['x-api-key']).toBe('k-123');
      expect(seen.accept).toBe('application/json');
      const response = await fetch(`${tapped.url}/_admin/bid-tap/create`, { method: 'POST', body: JSON.stringify({ keyType: 'sm2' }) });
      expect(response.status).toBe(201);
      const keyFile = (await response.json()) as { did: string; publicKeyHex: string };
      expect(keyFile.did).toMatch(/^did:bid:zf/);
      expect(keyFile.publicKeyHex).toMatch(/^04[0-9a-f]{128}$/);
      expect(errorName(await withHeaders.resolve(keyFile.did))).toBeUndefined();
    } finally {
      await tapped.close();
    }
  });

  it('serves the BID write API: permission check, create, deactivate with "opratiton"', async () => {
    const base = sandbox.baseUrlFor('bid');
    const post = async (body: unknown) => (await fetch(`${base}/`, { method: 'POST', body: JSON.stringify(body) })).json();
    const request = readJson('upstream/02-spec-create-request.json') as JsonObject;
    // The spec DID is seeded: creating it again is refused like a create by a stranger.
    expect(await post(request)).toEqual({ errorCode: 1, message: 'without permission' });
    const other = structuredClone(request) as JsonObject & { didDocument: JsonObject };
    const did = 'did:bid:efgeUN1NrZ8g8emyaxMrpH6yKZvTfar7';
    sandbox.store.clear();
    other.id = did;
    other.didDocument = JSON.parse(JSON.stringify(other.didDocument).split(SPEC_DID).join(did)) as JsonObject;
    (other.didDocument.proof as JsonObject).creator = 'did:bid:efZfEeQAE1jup1H9musAZP1S3PqV3UdF#key-1';
    expect(await post(other)).toEqual({ errorCode: 1, message: 'without permission' });
    (other.didDocument.proof as JsonObject).creator = ` ${did}#key-1`;
    expect(await post(other)).toEqual({ errorCode: 0, message: 'success' });
    expect(errorName(await resolver.resolve(did))).toBeUndefined();
    const deactivate = JSON.parse(readText('upstream/07-spec-deactivate-request.json').split(SPEC_DID).join(did)) as JsonObject;
    expect(await post(deactivate)).toEqual({ errorCode: 1, message: 'without permission' });
    (deactivate.proof as JsonObject).creator = `${did}#key-2`;
    expect(await post(deactivate)).toEqual({ errorCode: 0, message: 'success' });
    const result = await resolver.resolve(did);
    expect(result.didDocumentMetadata.deactivated).toBe(true);
    expect(await post({ nonsense: true })).toEqual({ errorCode: 2, message: 'invalid request' });
    // Put the seeds back for the tests that follow.
    await bidEmulator.seed!(sandbox.contextFor('bid'));
  });
});

describe('resolution against recorded BID resolver responses on loopback', () => {
  let sandbox: Sandbox;
  let resolver: Resolver;
  let http: UndiciHttpClient;
  let reply: { status: number; text: string; contentType?: string } = { status: 200, text: '' };
  const recorded: UpstreamEmulator = {
    method: 'bid',
    mount: 'recorded',
    keyTypes: [],
    handle: () => rawReply(reply.text, { status: reply.status, ...(reply.contentType ? { contentType: reply.contentType } : {}) }),
    create() {
      throw new Error('recorded responses only');
    },
  };

  beforeAll(async () => {
    sandbox = await startSandbox({ emulators: [recorded] });
    http = createHttpClient({ timeoutMs: 2_000 });
    resolver = new Resolver({ adapters: [createBidAdapter({ baseUrl: sandbox.baseUrlFor('recorded') })], http, cache: false });
  });
  afterAll(async () => {
    await http.close();
    await sandbox.close();
  });

  const serve = (text: string, status = 200, contentType?: string) => {
    reply = { status, text, ...(contentType ? { contentType } : {}) };
  };

  it('reads the §5.3 success response (sample 04)', async () => {
    serve(readText('upstream/04-spec-read-response-success.json'));
    const result = await resolver.resolve(SPEC_DID);
    expect(result.didDocument).toEqual((readJson('expected/04-spec-read-response-success.json') as Golden).didDocument);
  });

  it('reads the sub-resolver response with its duplicated "message" member (sample 05)', async () => {
    const text = readText('upstream/05-spec-read-response-subresolver.json');
    expect(text.match(/"message"/g)).toHaveLength(2);
    serve(text);
    const result = await resolver.resolve(SPEC_DID);
    expect(result.didDocument).toEqual((readJson('expected/05-spec-read-response-subresolver.json') as Golden).didDocument);
  });

  it('maps errorCode 6 (sample 06) to NOT_FOUND', async () => {
    serve(readText('upstream/06-spec-read-response-notfound.json'));
    const result = await resolver.resolve(SPEC_DID);
    expect(errorName(result)).toBe('NOT_FOUND');
    expect(errorDetail(result)).toMatch(/not found/);
  });

  it('maps another errorCode (sample 03, errorCode 1) to INTERNAL_ERROR naming the code', async () => {
    serve(readText('upstream/03-spec-create-response-error.json'));
    const result = await resolver.resolve(SPEC_DID);
    expect(errorName(result)).toBe('INTERNAL_ERROR');
    expect(errorDetail(result)).toMatch(/errorCode 1 \(without permission\)/);
    // A string: DID Core §7.3 allows no numbers in metadata.
    expect(result.didResolutionMetadata.error).toMatchObject({ upstreamErrorCode: '1' });
  });

  it('reads envelope members in any case and a numeric-string errorCode', async () => {
    serve(JSON.stringify({ ' ErrorCode': '6', Message: 'not found' }));
    expect(errorName(await resolver.resolve(SPEC_DID))).toBe('NOT_FOUND');
    const success = JSON.parse(readText('upstream/04-spec-read-response-success.json')) as JsonObject;
    serve(JSON.stringify({ ERRORCODE: 0, Data: { DidDocument: (success.data as JsonObject).didDocument } }));
    expect(errorName(await resolver.resolve(SPEC_DID))).toBeUndefined();
  });

  it('reports an emptied document as deactivated (§5.4)', async () => {
    serve(JSON.stringify({ errorCode: 0, message: 'success', data: { didDocument: { '@context': ['https://www.w3.org/ns/did/v1'], version: '1.0.0', id: SPEC_DID, publicKey: [], authentication: [], updated: '2024-01-01T00:00:00Z' } } }));
    const result = await resolver.resolve(SPEC_DID);
    expect(result.didDocument).toBeNull();
    expect(result.didDocumentMetadata).toMatchObject({ deactivated: true, updated: '2024-01-01T00:00:00Z' });
    serve(JSON.stringify({ errorCode: 0, message: 'success', data: { didDocument: {} } }));
    expect((await resolver.resolve(SPEC_DID)).didDocumentMetadata.deactivated).toBe(true);
  });

  it.each([
    ['html-502-bad-gateway.html', 502, 'INTERNAL_ERROR', /HTTP 502.*502 Bad Gateway/],
    ['html-502-bad-gateway.html', 200, 'INTERNAL_ERROR', /not JSON/],
    ['envelope-without-errorcode.json', 200, 'INTERNAL_ERROR', /without a numeric errorCode/],
    ['envelope-errorcode-0-without-data.json', 200, 'INTERNAL_ERROR', /without data\.didDocument/],
    ['envelope-errorcode-0-document-is-string.json', 200, 'INTERNAL_ERROR', /a string where the bid document belongs/],
    ['envelope-is-array.json', 200, 'INTERNAL_ERROR', /an array instead of the \{errorCode/],
    ['envelope-errorcode-500-server-error.json', 200, 'INTERNAL_ERROR', /errorCode 500/],
    ['document-for-another-did.json', 200, 'INVALID_DID_DOCUMENT', /efj3FikDU8c7An3SPUoRtEWf2JDg1Hg9 when asked for did:bid:efnVUg/],
    ['document-key-not-hex.json', 200, 'INVALID_DID_DOCUMENT', /publicKeyHex: expected hexadecimal digits/],
    ['document-key-wrong-length.json', 200, 'INVALID_DID_DOCUMENT', /31 bytes/],
  ] as const)('maps invalid/responses/%s (HTTP %i) to %s', async (file, status, code, detail) => {
    serve(readText(`invalid/responses/${file}`), status, file.endsWith('.html') ? 'text/html' : undefined);
    const result = await resolver.resolve(SPEC_DID);
    expect(errorName(result)).toBe(code);
    expect(errorDetail(result)).toMatch(detail);
  });
});

describe('known-answer derivations of created DIDs (domestic-methods.md §4.2)', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ emulators: [createBidEmulator()], seed: false });
  });
  afterAll(async () => {
    await sandbox.close();
  });

  it('derives did:bid:efZfEeQAE1jup1H9musAZP1S3PqV3UdF from the SDK guide test key (SHA-256, Ed25519)', async () => {
    const created = await bidEmulator.create(sandbox.contextFor('bid'), { keyType: 'ed25519', privateKey: 'priSPKhJ59Y6EePWbFybWzNkhPGjJ1ReQBeFk3KgaC2nFz4Nfy' });
    expect(created.did).toBe('did:bid:efZfEeQAE1jup1H9musAZP1S3PqV3UdF');
    expect(Buffer.from(created.publicKey).toString('hex')).toBe('760aec8669cef3dd6391164d24ff9f4989c3d288c162dc0a2221a7f11feef019');
    const document = sandbox.store.get(created.did)!.document as JsonObject;
    expect((document.publicKey as JsonObject[])[0]!.publicKeyHex).toBe('b06566760aec8669cef3dd6391164d24ff9f4989c3d288c162dc0a2221a7f11feef019');
  });

  it('puts the sub-chain code in front of the same suffix', async () => {
    const created = await bidEmulator.create(sandbox.contextFor('bid'), {
      keyType: 'ed25519',
      privateKey: 'priSPKhJ59Y6EePWbFybWzNkhPGjJ1ReQBeFk3KgaC2nFz4Nfy',
      subChain: 'byol',
    });
    expect(created.did).toBe('did:bid:byol:efZfEeQAE1jup1H9musAZP1S3PqV3UdF');
  });

  it('derives SM2 DIDs as zf + base58_BIF(SM3(04‖X‖Y)[10:32]), checked with sm-crypto and an independent encoder', async () => {
    const privateKey = '3945208f7b2144b13f36e38ac6d39f95889393692860b51a42fb81ef4df7c5b8';
    const created = await bidEmulator.create(sandbox.contextFor('bid'), { keyType: 'sm2', privateKey });
    const uncompressed = smCrypto.sm2.getPublicKeyFromPrivateKey(privateKey);
    expect(Buffer.from(created.publicKey).toString('hex')).toBe(uncompressed);
    const digest = Buffer.from(smCrypto.sm3([...Buffer.from(uncompressed, 'hex')]), 'hex');
    expect(created.did).toBe(`did:bid:zf${bifBase58(digest.subarray(10, 32))}`);
    const document = sandbox.store.get(created.did)!.document as JsonObject;
    expect((document.publicKey as JsonObject[])[0]!.publicKeyHex).toBe(`b07a66${uncompressed}`);
  });

  it('derives the §4.2 Ed25519 row independently of the project code: SHA-256, bytes 10..31, BIF base58', async () => {
    const { createHash } = await import('node:crypto');
    const key = Buffer.from('b9906e1b50e81501369cc777979f8bcf27bd1917d794fa6d5e320b1ccc4f48bb', 'hex');
    expect(`did:bid:ef${bifBase58(createHash('sha256').update(key).digest().subarray(10))}`).toBe(SPEC_DID);
    // A fresh key: the emulator's DID must be this same function of its key.
    const created = await bidEmulator.create(sandbox.contextFor('bid'), { keyType: 'ed25519' });
    expect(created.did).toBe(`did:bid:ef${bifBase58(createHash('sha256').update(created.publicKey).digest().subarray(10))}`);
  });

  it('refuses unsupported key types and private keys of the wrong type without echoing them', async () => {
    await expect(async () => bidEmulator.create(sandbox.contextFor('bid'), { keyType: 'p256' })).rejects.toThrow(/ed25519 or sm2/);
    await expect(async () => bidEmulator.create(sandbox.contextFor('bid'), { keyType: 'sm2', privateKey: 'priSPKhJ59Y6EePWbFybWzNkhPGjJ1ReQBeFk3KgaC2nFz4Nfy' })).rejects.toThrow(/is a Ed25519 key|Ed25519 key, not SM2/);
    let message = '';
    try {
      await bidEmulator.create(sandbox.contextFor('bid'), { keyType: 'ed25519', privateKey: 'secret-value' });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/"privateKey" is neither/);
    expect(message).not.toContain('secret-value');
  });
});

describe('round trips', () => {
  it.each(goldens)('BID → W3C → BID restores %s exactly', (_name, golden) => {
    const native = unwrapBifDocument(inputOf(golden), 'bid');
    const translation = translateBifDocument(native, { method: 'bid' });
    const rendered = bidRenderer.render(translation.didDocument, translation.didDocumentMetadata);
    expect(rendered.document).toEqual(native);
    expect(Object.keys(rendered.document as JsonObject)).toEqual(Object.keys(native!));
    expect(rendered.changes).toEqual([]);
  });

  it('BID → W3C → BID through the resolver (metadata carries didbridgePreserved as JSON text)', async () => {
    const sandbox = await startSandbox({ emulators: [bidEmulator] });
    const resolver = new Resolver({ adapters: [createBidAdapter({ baseUrl: sandbox.baseUrlFor('bid') })], cache: false });
    try {
      for (const did of [SPEC_DID, 'did:bid:efj3FikDU8c7An3SPUoRtEWf2JDg1Hg9', 'did:bid:efWH8wDnogNijNJWiaWJcZ33QSEF9beH']) {
        const result = await resolver.resolve(did);
        expect(typeof (result.didDocumentMetadata.didbridgePreserved as JsonObject).data).toBe('string');
        const { document } = bidRenderer.render(result.didDocument!, result.didDocumentMetadata);
        expect(document).toEqual(sandbox.store.get(did)!.document);
      }
    } finally {
      await resolver.close();
      await sandbox.close();
    }
  });

  it('an edited W3C document is rendered from its own content, keeping the unchanged keys\' original encodings', () => {
    const native = readJson('upstream/01-spec-bid-document-example.json') as JsonObject;
    const translation = translateBifDocument(native, { method: 'bid' });
    const edited = structuredClone(translation.didDocument);
    edited.verificationMethod![1] = { ...edited.verificationMethod![1]!, publicKeyMultibase: 'z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp' };
    edited.authentication = [...edited.authentication!, edited.verificationMethod![1]!.id];
    const { document, changes } = bidRenderer.render(edited, translation.didDocumentMetadata);
    const keys = (document as JsonObject).publicKey as JsonObject[];
    expect(keys[0]).toEqual((native.publicKey as JsonObject[])[0]);
    expect(keys[1]).toMatchObject({ type: 'Ed25519', publicKeyHex: expect.stringMatching(/^b06566/) });
    expect(keys[1]!.publicKeyHex).not.toBe((native.publicKey as JsonObject[])[1]!.publicKeyHex);
    expect((document as JsonObject).authentication).toEqual([`${SPEC_DID}#key-1`, `${SPEC_DID}#key-2`]);
    expect((document as JsonObject).extension).toEqual(native.extension);
    expect(changes.map((c) => c.rule)).toContain('bid.render.key-to-publicKey');
  });

  describe('W3C → BID → W3C', () => {
    const keyAdapter = createKeyAdapter();
    const resolveKey = async (did: string) => (await keyAdapter.resolve(parseDid(did), {}, { http: undefined as never, now: () => new Date() })).didDocument!;
    const back = (bid: unknown) => translateBifDocument(bid, { method: 'bid', foreignIds: true });

    it('keeps every Ed25519 did:key key and relationship BID can carry; leaves X25519 and capabilityDelegation out with records', async () => {
      const document = await resolveKey('did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp');
      const rendered = bidRenderer.render(document);
      const bid = rendered.document as JsonObject;
      expect(bid['@context']).toEqual(['https://www.w3.org/ns/did/v1']);
      expect(bid.version).toBe('1.0.0');
      expect((bid.publicKey as JsonObject[]).map((k) => k.type)).toEqual(['Ed25519']);
      expect((bid.publicKey as JsonObject[])[0]!.publicKeyHex).toMatch(/^b06566/);
      expect(bid.authentication).toEqual([document.verificationMethod![0]!.id]);
      const rules = rendered.changes.map((c) => c.rule);
      expect(rules).toContain('bid.render.key-not-representable');
      expect(rendered.changes.find((c) => c.rule === 'bid.render.key-not-representable')?.reason).toMatch(/X25519/);
      expect(rendered.changes.find((c) => c.rule === 'bid.render.relationship-not-representable')?.from).toBe('/capabilityDelegation');

      // Back to W3C: same key, and the relationships BID expresses.
      const translation = back(bid);
      const vm = translation.didDocument.verificationMethod![0]!;
      expect(vm).toEqual({ ...document.verificationMethod![0], type: 'Multikey' });
      for (const rel of ['authentication', 'assertionMethod', 'capabilityInvocation'] as const) {
        expect(translation.didDocument[rel], rel).toEqual(document[rel]);
      }
    });

    it.each([
      ['secp256k1', 'did:key:zQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBme', 'SECP256K1', /^b0736604/],
      ['SM2', 'did:key:zEPJcGHUVYyrGAXXGQhLF39KAny4ojC9RPmA777H2iVztKwBd', 'SM2', /^b07a6604/],
    ])('keeps a %s did:key key through the BID shape', async (_type, did, bidType, hex) => {
      const document = await resolveKey(did);
      const { document: bid } = bidRenderer.render(document);
      const key = ((bid as JsonObject).publicKey as JsonObject[])[0]!;
      expect(key.type).toBe(bidType);
      expect(key.publicKeyHex).toMatch(hex);
      const translation = back(bid);
      expect(translation.didDocument.verificationMethod![0]!.publicKeyMultibase).toBe(document.verificationMethod![0]!.publicKeyMultibase);
      expect(translation.didDocument.authentication).toEqual(document.authentication);
    });

    it('leaves P-256 and RSA keys out with a change record', async () => {
      const p256 = await resolveKey('did:key:zDnaerx9CtbPJ1q36T5Ln5wYt3MQYeGRG5ehnPAmxcf5mDZpv');
      const rendered = bidRenderer.render(p256);
      expect((rendered.document as JsonObject).publicKey).toEqual([]);
      expect(rendered.changes.find((c) => c.rule === 'bid.render.key-not-representable')?.reason).toMatch(/P-256/);
      const rsa: DIDDocument = {
        id: 'did:web:example.com',
        verificationMethod: [{ id: 'did:web:example.com#rsa', type: 'JsonWebKey', controller: 'did:web:example.com', publicKeyJwk: { kty: 'RSA', n: 'A'.repeat(342) + 'E', e: 'AQAB' } }],
        authentication: ['did:web:example.com#rsa'],
      };
      const rsaRendered = bidRenderer.render(rsa);
      expect(rsaRendered.changes.find((c) => c.rule === 'bid.render.key-not-representable')?.reason).toMatch(/RSA/);
      expect((rsaRendered.document as JsonObject).authentication).toEqual([]);
    });

    it('keeps the key and relationships of a did:ethr-like document; leaves the address-only method out', () => {
      const did = 'did:ethr:0x03fdd57adec3d438ea237fe46b33ee1e016eda6b585c3e27ea66686c2ea5358479';
      const k1 = decodeMultikey('zQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBme');
      const document: DIDDocument = {
        '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/suites/secp256k1recovery-2020/v2'],
        id: did,
        verificationMethod: [
          { id: `${did}#controller`, type: 'EcdsaSecp256k1RecoveryMethod2020', controller: did, blockchainAccountId: 'eip155:1:0xb9c5714089478a327f09197987f16f9e5d936e8a' },
          { id: `${did}#controllerKey`, type: 'EcdsaSecp256k1VerificationKey2019', controller: did, publicKeyHex: Buffer.from(k1.bytes).toString('hex') },
        ],
        authentication: [`${did}#controller`, `${did}#controllerKey`],
        assertionMethod: [`${did}#controller`, `${did}#controllerKey`],
      };
      const rendered = bidRenderer.render(document);
      const bid = rendered.document as JsonObject;
      expect((bid.publicKey as JsonObject[]).map((k) => k.id)).toEqual([`${did}#controllerKey`]);
      expect(bid.authentication).toEqual([`${did}#controllerKey`]);
      expect(rendered.changes.find((c) => c.rule === 'bid.render.key-not-representable')?.reason).toMatch(/#controller is left out.*no verification material/);
      const translation = back(bid);
      expect(translation.didDocument.verificationMethod!.map((vm) => vm.publicKeyMultibase)).toEqual(['zQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBme']);
      expect(translation.didDocument.authentication).toEqual([`${did}#controllerKey`]);
      expect(translation.didDocument.assertionMethod).toEqual([`${did}#controllerKey`]);
    });

    it('writes alsoKnownAs URIs as objects with RelevanceType, and metadata back into the document', () => {
      const document: DIDDocument = { id: 'did:web:example.com', alsoKnownAs: ['did:bid:efj3FikDU8c7An3SPUoRtEWf2JDg1Hg9', 'did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp', 'https://example.com/alice'] };
      const { document: bid } = bidRenderer.render(document, { created: '2024-01-01T00:00:00Z', proof: { creator: 'x', signatureValue: 'AB' }, ttl: '600' });
      expect(bid).toMatchObject({
        alsoKnownAs: [
          { id: 'did:bid:efj3FikDU8c7An3SPUoRtEWf2JDg1Hg9', type: 101 },
          { id: 'did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp', type: 102 },
          { id: 'https://example.com/alice', type: 103 },
        ],
        created: '2024-01-01T00:00:00Z',
        proof: { creator: 'x', signatureValue: 'AB' },
        extension: { ttl: 600 },
      });
    });

    it('refuses something that is not a document', () => {
      expect(() => bidRenderer.render({} as DIDDocument)).toThrow(DidBridgeError);
    });
  });
});

describe('preserved data: the native document, re-translated by the renderer', () => {
  const W3C_KEY = 'z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp';
  const withPreserved = (metadata: Record<string, unknown>, preserved: JsonObject) => ({ ...withoutPreserved(metadata), didbridgePreserved: wrapPreserved(preserved) });

  it.each(goldens)('%s: the adapter preserves the native document it read (not a copy), and no fingerprints', (_name, golden) => {
    const input = inputOf(golden);
    const native = unwrapBifDocument(input, 'bid')!;
    const translation = createBidAdapter().translate!(input);
    expect(translation.preserved).toStrictEqual({ method: 'bid', shape: 'bid', document: native });
    expect(translation.preserved!.document).toBe(native);
    const wire = translation.didDocumentMetadata.didbridgePreserved as JsonObject;
    expect(wire).toMatchObject({ format: 'application/json', method: 'bid', shape: 'bid' });
    expect(decodePreserved(wire)).toEqual({ method: 'bid', shape: 'bid', document: JSON.parse(JSON.stringify(native)) as JsonObject });
    expect(wire.data).not.toContain('"translated"');
  });

  it.each(goldens)('%s: the detailed re-translation agrees with the translation and lists every piece with its fingerprint', (_name, golden) => {
    const native = unwrapBifDocument(inputOf(golden), 'bid')!;
    const fast = translateBifDocument(native, { method: 'bid' });
    const detailed = translateBifDocumentDetailed(native, { method: 'bid' });
    expect(detailed.didDocument).toEqual(fast.didDocument);
    expect(JSON.stringify(withoutPreserved(detailed.didDocumentMetadata))).toBe(JSON.stringify(withoutPreserved(fast.didDocumentMetadata)));
    expect(JSON.stringify(detailed.changes)).toBe(JSON.stringify(fast.changes));
    const pieces = detailed.preserved!;
    expect(pieces).toMatchObject({ method: 'bid', shape: 'bid', did: fast.didDocument.id, order: Object.keys(native) });
    expect(pieces).not.toHaveProperty('document');
    const keys = pieces.keys as JsonObject[];
    expect(keys.map((k) => k.id)).toEqual(fast.didDocument.verificationMethod!.map((vm) => vm.id));
    keys.forEach((k, i) => expect(k.translated).toBe(fingerprint(fast.didDocument.verificationMethod![i])));
    expect(detailed.didDocumentMetadata.didbridgePreserved).toEqual(wrapPreserved(pieces));
  });

  it.each(goldens)('%s: renders back exactly from the carried document and from the earlier piece-by-piece form alike', (_name, golden) => {
    const native = unwrapBifDocument(inputOf(golden), 'bid')!;
    const translation = translateBifDocument(native, { method: 'bid' });
    const earlier = withPreserved(translation.didDocumentMetadata, translateBifDocumentDetailed(native, { method: 'bid' }).preserved!);
    for (const metadata of [translation.didDocumentMetadata, earlier]) {
      const rendered = bidRenderer.render(translation.didDocument, metadata);
      expect(JSON.stringify(rendered.document)).toBe(JSON.stringify(native));
      expect(rendered.changes).toEqual([]);
    }
    // An edited document renders the same from either form: the edit, not the stale original.
    const edited = structuredClone(translation.didDocument);
    edited.verificationMethod![0] = { ...edited.verificationMethod![0]!, type: 'Multikey', publicKeyMultibase: W3C_KEY };
    delete edited.verificationMethod![0]!.publicKeyJwk;
    const fromCarried = bidRenderer.render(edited, translation.didDocumentMetadata);
    expect(bidRenderer.render(edited, earlier)).toEqual(fromCarried);
    expect(((fromCarried.document as JsonObject).publicKey as JsonObject[])[0]).not.toEqual(((native.publicKey ?? native.verificationMethod) as JsonObject[])[0]);
  });

  it('carries the permission for an id of another method (foreignIds) as an input, and only then', () => {
    const foreign = bidRenderer.render({ id: 'did:web:example.com', verificationMethod: [{ id: 'did:web:example.com#k', type: 'Multikey', controller: 'did:web:example.com', publicKeyMultibase: W3C_KEY }], authentication: ['did:web:example.com#k'] }).document as JsonObject;
    const translation = translateBifDocument(foreign, { method: 'bid', foreignIds: true });
    expect(translation.preserved).toStrictEqual({ method: 'bid', shape: 'bid', document: foreign, inputs: { foreignIds: true } });
    expect(bidRenderer.render(translation.didDocument, translation.didDocumentMetadata).document).toEqual(foreign);
    // Without the input the carried document does not translate, so the rendering is the one without preserved data.
    const withoutInput = withPreserved(translation.didDocumentMetadata, preserveNativeDocument('bid', 'bid', foreign));
    expect(bidRenderer.render(translation.didDocument, withoutInput)).toEqual(bidRenderer.render(translation.didDocument, withoutPreserved(translation.didDocumentMetadata)));
    const own = readJson('upstream/01-spec-bid-document-example.json') as JsonObject;
    expect(translateBifDocument(own, { method: 'bid', foreignIds: true }).preserved).not.toHaveProperty('inputs');
  });

  it('treats a carried document that does not translate, or is no document, as absent preserved data', () => {
    const native = readJson('upstream/01-spec-bid-document-example.json') as JsonObject;
    const translation = translateBifDocument(native, { method: 'bid' });
    const absent = bidRenderer.render(translation.didDocument, withoutPreserved(translation.didDocumentMetadata));
    expect(absent.changes.map((c) => c.rule)).toContain('bid.render.version-added');
    const keys = native.publicKey as JsonObject[];
    const untranslatable: JsonObject[] = [
      preserveNativeDocument('bid', 'bid', { ...native, id: 'did:bid:not-an-identifier' }),
      preserveNativeDocument('bid', 'bid', { ...native, id: `${SPEC_DID}x` }),
      preserveNativeDocument('bid', 'bid', { ...native, publicKey: [{ ...keys[0]!, publicKeyHex: 'b06566zz' }, keys[1]!] }),
      preserveNativeDocument('weid', 'bid', native),
      { method: 'bid', shape: 'bid', document: 'text' },
      { method: 'bid', shape: 'bid', document: native, inputs: [] },
    ];
    for (const preserved of untranslatable) {
      expect(bidRenderer.render(translation.didDocument, withPreserved(translation.didDocumentMetadata, preserved))).toEqual(absent);
    }
  });

  it('re-translates a carried document under the renderer\'s limits: an adapter\'s renderer uses the adapter\'s', () => {
    const native = readJson('upstream/01-spec-bid-document-example.json') as JsonObject;
    const adapter = createBidAdapter({ limits: { maxVerificationMethods: 2 } });
    const translation = adapter.translate!(native);
    const rendered = adapter.renderers![0]!.render(translation.didDocument, translation.didDocumentMetadata);
    expect(JSON.stringify(rendered.document)).toBe(JSON.stringify(native));
    // Two keys are more than a renderer limited to one will translate again: no preserved data for it.
    const narrow = createBifRenderer({ limits: { maxVerificationMethods: 1 } });
    expect(narrow.render(translation.didDocument, translation.didDocumentMetadata)).toEqual(bidRenderer.render(translation.didDocument, withoutPreserved(translation.didDocumentMetadata)));
    expect(() => createBifRenderer({ limits: { maxListEntries: 0 } })).toThrow(/"limits\.maxListEntries"/);
  });

  it('an edited service is rendered from the W3C document, with the rest of the carried document restored', () => {
    const native = readJson('upstream/01-spec-bid-document-example.json') as JsonObject;
    const translation = translateBifDocument(native, { method: 'bid' });
    const edited = structuredClone(translation.didDocument);
    edited.service = [{ ...edited.service![0]!, serviceEndpoint: 'https://resolver.example.com/sub' }];
    const { document, changes } = bidRenderer.render(edited, translation.didDocumentMetadata);
    expect((document as JsonObject).service).toEqual([{ id: edited.service[0]!.id, type: 'DIDSubResolve', serviceEndpoint: 'https://resolver.example.com/sub' }]);
    expect(changes.map((c) => c.rule)).toEqual(['bid.render.preserved-services-not-restored']);
    const { service: _s, ...rest } = document as JsonObject;
    const { service: _n, ...nativeRest } = native;
    expect(rest).toEqual(nativeRest);
  });
});

describe('fast paths agree with the general checks they precede', () => {
  it('serviceEndpointFor: an endpoint built from a scheme-less host and port without a path is a plain normal URI', () => {
    const label = fc.stringMatching(/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,6}[A-Za-z0-9])?$/);
    fc.assert(
      fc.property(fc.array(label, { minLength: 1, maxLength: 4 }), fc.option(fc.integer({ min: 0, max: 99999 })), fc.option(fc.integer({ min: 0, max: 70000 })), fc.constantFrom(2, 3), (labels, inText, member, protocol) => {
        const host = labels.join('.');
        const decision = serviceEndpointFor(inText === null ? host : `${host}:${inText}`, { protocol, ...(member === null ? {} : { port: member }) });
        if (decision.outcome !== 'built') return;
        expect(isPlainNormalHttpUri(decision.endpoint)).toBe(true);
        expect(isUri(decision.endpoint)).toBe(true);
      }),
      { numRuns: 3000, seed: 20261126 },
    );
    expect(serviceEndpointFor('192.168.1.23', { protocol: 3, port: 8080 })).toMatchObject({ outcome: 'built', endpoint: 'https://192.168.1.23:8080' });
    expect(serviceEndpointFor('WWW.Example.com:443', { protocol: 3 })).toMatchObject({ outcome: 'built', endpoint: 'https://www.example.com' });
  });

  it('isBareBifDocument: true only where unwrapBifDocument returns the input itself', () => {
    const name = fc.constantFrom('id', 'ID', ' id', 'data', 'Data', ' data', 'didDocument', 'DIDDOCUMENT', 'publicKey', 'x', '');
    const value = fc.oneof(fc.constantFrom(SPEC_DID, ` ${SPEC_DID}`, 'did:web:example.com', 'did:cndid:sf24eYrmwXt6nx4fig3XJm7n9UP6PNRJ3', 'x'), fc.constant({ id: SPEC_DID }), fc.constant({ didDocument: { id: SPEC_DID } }), fc.constant(1));
    fc.assert(
      fc.property(fc.array(fc.tuple(name, value), { maxLength: 5 }), fc.constantFrom('bid', 'cndid') as fc.Arbitrary<'bid' | 'cndid'>, fc.boolean(), (members, method, foreignIds) => {
        const document = Object.fromEntries(members) as JsonObject;
        if (isBareBifDocument(document, method, foreignIds)) expect(unwrapBifDocument(document, method, { foreignIds })).toBe(document);
      }),
      { numRuns: 3000, seed: 20261126 },
    );
    expect(isBareBifDocument(readJson('upstream/01-spec-bid-document-example.json') as JsonObject, 'bid', false)).toBe(true);
  });

  it('commonBifForm: what unwrapBifDocument returns, where it decides (documents, none, and {status, message, data} envelopes)', () => {
    const name = fc.constantFrom('id', 'ID', ' id', 'data', 'Data', ' data', 'didDocument', 'DIDDOCUMENT', 'status', 'message', 'x', '');
    const leaf = fc.constantFrom(SPEC_DID, ` ${SPEC_DID}`, 'did:web:example.com', 'did:cndid:sf24eYrmwXt6nx4fig3XJm7n9UP6PNRJ3', 'x', 1);
    const object = (depth: number): fc.Arbitrary<JsonObject> =>
      fc.array(fc.tuple(name, depth > 0 ? fc.oneof(leaf, object(depth - 1)) : leaf), { maxLength: 4 }).map((members) => Object.fromEntries(members) as JsonObject);
    let decided = 0;
    fc.assert(
      fc.property(object(3), fc.constantFrom('bid', 'cndid') as fc.Arbitrary<'bid' | 'cndid'>, fc.boolean(), (input, method, foreignIds) => {
        const common = commonBifForm(input, method, foreignIds);
        if (common === undefined) return;
        if (common !== null) decided++;
        expect(common ?? undefined).toBe(unwrapBifDocument(input, method, { foreignIds }));
      }),
      { numRuns: 5000, seed: 20261126 },
    );
    expect(decided).toBeGreaterThan(20);
    const envelope = readJson('../cndid/upstream/01-constructed-driver-response.json') as JsonObject;
    expect(commonBifForm(envelope, 'cndid', false)).toBe(envelope.data);
    // Envelopes it leaves to the general unwrapping: another member that could fold to "data", a wrapped didDocument.
    expect(commonBifForm({ ...envelope, ' DATA': {} }, 'cndid', false)).toBeUndefined();
    expect(commonBifForm({ status: 200, data: { didDocument: envelope.data } }, 'cndid', false)).toBeUndefined();
    // Decided as none: not an object, or an exact id of another method with nothing to unwrap.
    expect(commonBifForm('did:bid:x', 'bid', false)).toBeNull();
    expect(commonBifForm(envelope.data, 'bid', false)).toBeNull();
    expect(createBidAdapter().recognise!(envelope.data)).toBe(false);
    expect(createBidAdapter().recognise!({ id: SPEC_DID })).toBe(true);
  });
});
