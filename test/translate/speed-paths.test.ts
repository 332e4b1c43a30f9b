/**
 * The fast paths the translation benchmark (bench/translate.ts, issue #3) led to must give exactly the answers of the
 * general code they stand in for:
 *
 * - the key memos (`KeyMemo`, src/keys/detect.ts) of the adapters' key readers: bounded, off with
 *   `keyTypeMemo.maxEntries = 0`, and translations identical with the memos on, off, hit and missed;
 * - base58 decoding four digits at a time (src/keys/codecs.ts) against multiformats' base-x decoder;
 * - `canonicalJson` through a sorted copy, and `sameJsonText` (src/util/json.ts), against the texts;
 * - the plain-http(s) endpoint and plain DID URL patterns (adapters/bid/services.ts) against the general URI checks,
 *   and one DID URL parse (adapters/bid/did-syntax.ts) against `isDidUrl` + `parseDidUrl`;
 * - datetimes already in DID Core form (src/util/datetime.ts) against parsing and writing them again.
 *
 * Random cases are seeded (fast-check), so a failure reproduces.
 */
import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { base58btc } from 'multiformats/bases/base58';
import { afterEach, describe, expect, it } from 'vitest';
import { ADAPTER_FACTORIES } from '../../adapters/index.js';
import { didUrlOrUndefined } from '../../adapters/bid/did-syntax.js';
import { isPlainNormalHttpUri, isUriFast } from '../../adapters/bid/services.js';
import { BIF_BASE58_ALPHABET, BITCOIN_BASE58_ALPHABET, base58Bif, base58Bitcoin, decodeBase58Digits } from '../../src/keys/codecs.js';
import { KeyMemo, inferKeyType, keyTypeMemo, tryInferKeyType } from '../../src/keys/detect.js';
import { normaliseDatetime } from '../../src/util/datetime.js';
import { canonicalJson, sameJsonText } from '../../src/util/json.js';
import { isDidUrl, parseDidUrl } from '../../src/syntax/did-url.js';
import { isUri, normalisationProblem, uriProblem } from '../../src/util/uri.js';

const SEED = 20261125;
const FIXTURES = new URL('../../fixtures/', import.meta.url);

afterEach(() => {
  keyTypeMemo.maxEntries = 1024;
  keyTypeMemo.clear();
});

/** Every published upstream document of the domestic methods, with the adapter that translates it. */
function upstreamDocuments(): Array<{ adapter: string; name: string; document: unknown }> {
  const out: Array<{ adapter: string; name: string; document: unknown }> = [];
  for (const adapter of ['bid', 'cndid', 'vaa', 'weid', 'tdid', 'ccp', 'ctid']) {
    const dir = new URL(`${adapter}/upstream/`, FIXTURES);
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
      out.push({ adapter, name: `${adapter}/${file}`, document: JSON.parse(readFileSync(new URL(file, dir), 'utf8')) });
    }
  }
  return out;
}

/** A translation's outcome as text (member order included), or its error. */
function outcome(adapter: string, document: unknown): string {
  try {
    return JSON.stringify(ADAPTER_FACTORIES[adapter]!().translate!(document));
  } catch (err) {
    return `error ${(err as { code?: string }).code} ${(err as Error).message}`;
  }
}

describe('key memos', () => {
  it('KeyMemo stores by key text and context, within keyTypeMemo.maxEntries, nothing while off, and clears with keyTypeMemo', () => {
    const memo = new KeyMemo<{ value: number }>();
    memo.set('zKey', 'publicKeyMultibase', { value: 1 });
    memo.set('zKey', 'publicKeyHex', { value: 2 });
    expect(memo.get('zKey', 'publicKeyMultibase')).toStrictEqual({ value: 1 });
    expect(memo.get('zKey', 'publicKeyHex')).toStrictEqual({ value: 2 });
    expect(memo.get('zOther', 'publicKeyHex')).toBeUndefined();
    // Stored values are frozen: a caller cannot change what the next caller gets.
    expect(() => {
      (memo.get('zKey', 'publicKeyHex') as { value: number }).value = 3;
    }).toThrow(TypeError);
    keyTypeMemo.maxEntries = 3;
    for (let i = 0; i < 10; i++) memo.set(`k${i}`, 'c', { value: i });
    expect(memo.size).toBeLessThanOrEqual(3);
    expect(memo.get('k9', 'c')).toStrictEqual({ value: 9 });
    expect(memo.get('k0', 'c')).toBeUndefined();
    keyTypeMemo.maxEntries = 0;
    expect(memo.get('k9', 'c')).toBeUndefined();
    memo.set('new', 'c', { value: 0 });
    keyTypeMemo.maxEntries = 3;
    expect(memo.get('new', 'c')).toBeUndefined();
    expect(memo.get('k9', 'c')).toStrictEqual({ value: 9 });
    keyTypeMemo.clear();
    expect(memo.size).toBe(0);
    expect(memo.get('k9', 'c')).toBeUndefined();
  });

  it('KeyMemo tells contexts of several parts apart part by part, and counts a replaced value once', () => {
    keyTypeMemo.maxEntries = 1024;
    const memo = new KeyMemo<number>();
    memo.set('02ab', 'publicKeyHex', 1, 'Secp256k1', 'ccp');
    memo.set('02ab', 'publicKeyHex', 2, 'Secp256k1', 'ctid');
    memo.set('02ab', 'publicKeyHex', 3, '\u0001', 'ccp');
    expect(memo.get('02ab', 'publicKeyHex', 'Secp256k1', 'ccp')).toBe(1);
    expect(memo.get('02ab', 'publicKeyHex', 'Secp256k1', 'ctid')).toBe(2);
    expect(memo.get('02ab', 'publicKeyHex', '\u0001', 'ccp')).toBe(3);
    // Parts are not joined: moving text from one part to the next is another context.
    expect(memo.get('02ab', 'publicKeyHexSecp256k1', '', 'ccp')).toBeUndefined();
    expect(memo.get('02ab', 'publicKeyHex')).toBeUndefined();
    expect(memo.size).toBe(3);
    memo.set('02ab', 'publicKeyHex', 4, 'Secp256k1', 'ccp');
    expect(memo.get('02ab', 'publicKeyHex', 'Secp256k1', 'ccp')).toBe(4);
    expect(memo.size).toBe(3);
    keyTypeMemo.clear();
  });

  it('longer key texts than maxKeyLength are not stored', () => {
    const memo = new KeyMemo<number>(8);
    memo.set('123456789', 'c', 1);
    expect(memo.get('123456789', 'c')).toBeUndefined();
    memo.set('12345678', 'c', 1);
    expect(memo.get('12345678', 'c')).toBe(1);
  });

  it('every upstream document translates identically with the memos off, on (first sight) and on (hit)', () => {
    const documents = upstreamDocuments();
    expect(documents.length).toBeGreaterThan(15);
    keyTypeMemo.maxEntries = 0;
    const off = documents.map((d) => outcome(d.adapter, d.document));
    keyTypeMemo.maxEntries = 1024;
    keyTypeMemo.clear();
    const first = documents.map((d) => outcome(d.adapter, d.document));
    const hit = documents.map((d) => outcome(d.adapter, d.document));
    documents.forEach((d, i) => {
      expect(first[i], d.name).toBe(off[i]);
      expect(hit[i], d.name).toBe(off[i]);
    });
  });

  it('a translation does not share mutable key material with the next one (RSA JWKs are copies)', () => {
    const document = JSON.parse(readFileSync(new URL('vaa/upstream/01-spec-vaa-document.json', FIXTURES), 'utf8')) as unknown;
    const translate = () => ADAPTER_FACTORIES.vaa!().translate!(document);
    const first = translate();
    const expected = JSON.stringify(translate());
    const jwks = (first.didDocument.verificationMethod ?? []).map((vm) => vm.publicKeyJwk).filter((jwk) => jwk !== undefined);
    expect(jwks.length).toBeGreaterThan(0);
    for (const jwk of jwks) (jwk as Record<string, unknown>).n = 'changed';
    expect(JSON.stringify(translate())).toBe(expected);
  });

  it('a key that is no valid key is reported with the label of the entry it is in, whether remembered or not', () => {
    // The did:ccp specification's example: #keys-2 is a 32-byte key declared Secp256k1.
    const base = JSON.parse(readFileSync(new URL('ccp/upstream/01-spec-base-did-document.json', FIXTURES), 'utf8')) as {
      publicKey: Array<Record<string, string>>;
    };
    const renamed = structuredClone(base);
    renamed.publicKey[1]!.id = '#keys-9';
    const unusable = (document: unknown) =>
      ADAPTER_FACTORIES.ccp!().translate!(document).changes.filter((c) => c.rule === 'ccp.key-unusable').map((c) => c.reason);
    keyTypeMemo.maxEntries = 0;
    const offBase = unusable(base);
    const offRenamed = unusable(renamed);
    keyTypeMemo.maxEntries = 1024;
    expect(offBase).toHaveLength(1);
    expect(offBase[0]).toContain('#keys-2');
    expect(offRenamed[0]).toContain('#keys-9');
    expect(unusable(base)).toStrictEqual(offBase);
    expect(unusable(renamed)).toStrictEqual(offRenamed);
    expect(unusable(base)).toStrictEqual(offBase);
  });
});

describe('tryInferKeyType', () => {
  it('reports as data exactly what inferKeyType throws, and decides the same otherwise', () => {
    const lengths = fc.constantFrom(31, 32, 33, 49, 64, 65, 96, 97);
    const declared = fc.constantFrom(undefined, 'Secp256k1', 'SM2', 'Ed25519VerificationKey2020', 'EcdsaSecp256r1VerificationKey2019', 'Multikey');
    const context = fc.constantFrom(undefined, 'secp256k1' as const, 'SM2' as const, 'Ed25519' as const, 'P-256' as const);
    fc.assert(
      fc.property(lengths.chain((n) => fc.uint8Array({ minLength: n, maxLength: n })), fc.constantFrom(undefined, 2, 3, 4), declared, context, (bytes, prefix, declaredType, contextKeyType) => {
        const publicKey = Uint8Array.from(bytes);
        if (prefix !== undefined && publicKey.length % 2 === 1) publicKey[0] = prefix;
        const options = { publicKey, ...(declaredType ? { declaredType } : {}), ...(contextKeyType ? { contextKeyType } : {}) };
        const decided = tryInferKeyType(options);
        let thrown: { code?: string; message: string } | undefined;
        let inferred: unknown;
        try {
          inferred = inferKeyType(options);
        } catch (err) {
          thrown = err as { code?: string; message: string };
        }
        if ('problem' in decided) expect({ code: thrown?.code, message: thrown?.message }).toStrictEqual({ code: decided.code, message: decided.problem });
        else expect(decided).toStrictEqual(inferred);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });
});

describe('base58 decoding', () => {
  const BITCOIN = new Int8Array(128).fill(-1);
  for (let i = 0; i < 58; i++) BITCOIN[BITCOIN_BASE58_ALPHABET.charCodeAt(i)] = i;

  it('gives the bytes base-x gives, leading zero bytes included', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4 }), fc.uint8Array({ maxLength: 160 }), (zeros, bytes) => {
        const input = Uint8Array.from([...new Uint8Array(zeros), ...bytes]);
        const text = base58btc.baseEncode(input);
        expect(decodeBase58Digits(text, BITCOIN)).toStrictEqual(base58btc.baseDecode(text));
        expect(base58Bitcoin.decode(text)).toStrictEqual(input);
      }),
      { seed: SEED, numRuns: 2000 },
    );
  });

  it('decodes any digit string as base-x does, and refuses non-digits', () => {
    const digits = fc.array(fc.constantFrom(...BITCOIN_BASE58_ALPHABET.split(''), '1', '1', '1'), { maxLength: 80 }).map((a) => a.join(''));
    fc.assert(
      fc.property(digits, (text) => {
        expect(decodeBase58Digits(text, BITCOIN)).toStrictEqual(base58btc.baseDecode(text));
      }),
      { seed: SEED, numRuns: 2000 },
    );
    for (const bad of ['0', 'O', 'I', 'l', '+', 'é', '中', '1 ']) expect(decodeBase58Digits(`2${bad}`, BITCOIN)).toBeUndefined();
    expect(() => base58Bitcoin.decode('2O')).toThrow(/base58 characters/);
  });

  it('encodes as multiformats base58btc does', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4 }), fc.uint8Array({ maxLength: 100 }), (zeros, bytes) => {
        const input = Uint8Array.from([...new Uint8Array(zeros), ...bytes]);
        expect(base58Bitcoin.encode(input)).toBe(base58btc.baseEncode(input));
      }),
      { seed: SEED, numRuns: 2000 },
    );
  });

  it('round-trips the BIF alphabet', () => {
    expect(BIF_BASE58_ALPHABET).not.toBe(BITCOIN_BASE58_ALPHABET);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        expect(base58Bif.decode(base58Bif.encode(bytes))).toStrictEqual(bytes);
      }),
      { seed: SEED, numRuns: 1000 },
    );
  });
});

/** canonicalJson as it was written before the sorted-copy path: the reference. */
function referenceCanonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(referenceCanonicalJson).join(',')}]`;
  const object = value as Record<string, unknown>;
  const members = Object.keys(object)
    .sort()
    .filter((key) => object[key] !== undefined)
    .map((key) => `${JSON.stringify(key)}:${referenceCanonicalJson(object[key])}`);
  return `{${members.join(',')}}`;
}

/** JSON-like values with the awkward cases: index-like and `__proto__` names, undefined, non-finite numbers, dates. */
const awkward = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom(null, true, false, 0, -0, 1.5, '', 'x', '\ud800', undefined, Number.NaN, Number.POSITIVE_INFINITY, new Date(0)),
    fc.string({ maxLength: 6 }),
    tie('array'),
    tie('object'),
  ),
  array: fc.array(tie('value'), { maxLength: 4 }),
  object: fc.dictionary(
    fc.oneof(fc.constantFrom('a', 'b', 'B', ' a', '0', '10', '9', '__proto__', 'toJSON', 'é'), fc.string({ maxLength: 3 })),
    tie('value'),
    { maxKeys: 5 },
  ),
})).value;

describe('JSON helpers', () => {
  it('canonicalJson writes what member-by-member writing does', () => {
    fc.assert(
      fc.property(awkward, (value) => {
        expect(canonicalJson(value)).toBe(referenceCanonicalJson(value));
      }),
      { seed: SEED, numRuns: 5000 },
    );
    expect(canonicalJson({ b: 1, a: [{ d: 1, c: 2 }], '10': 0, '9': 0 })).toBe('{"10":0,"9":0,"a":[{"c":2,"d":1}],"b":1}');
    expect(canonicalJson({ f: () => 1 })).toBe('{"f":null}');
    // Objects with many members (sorted by the general sort rather than by insertion).
    fc.assert(
      fc.property(fc.dictionary(fc.string({ maxLength: 4 }), fc.oneof(fc.string({ maxLength: 2 }), fc.integer()), { minKeys: 10, maxKeys: 40 }), (value) => {
        expect(canonicalJson(value)).toBe(referenceCanonicalJson(value));
      }),
      { seed: SEED, numRuns: 500 },
    );
  });

  it('sameJsonText answers whether the two JSON texts are equal', () => {
    fc.assert(
      fc.property(awkward, awkward, (a, b) => {
        expect(sameJsonText(a, b)).toBe(JSON.stringify(a) === JSON.stringify(b));
        const copy = JSON.parse(JSON.stringify(a) ?? 'null') as unknown;
        expect(sameJsonText(a, copy)).toBe(JSON.stringify(a) === JSON.stringify(copy));
      }),
      { seed: SEED, numRuns: 5000 },
    );
    expect(sameJsonText(['x', undefined], ['x', null])).toBe(true);
    expect(sameJsonText({ a: 1, b: undefined }, { a: 1 })).toBe(true);
    expect(sameJsonText({ a: 1, b: 2 }, { b: 2, a: 1 })).toBe(false);
  });
});

describe('plain http(s) endpoints', () => {
  it('are only recognised where the general URI checks find nothing', () => {
    const tail = fc.array(fc.constantFrom(...'aZ09-._~!$&\'()*+,;=:@/?#%[] .é'.split('')), { maxLength: 16 }).map((a) => a.join(''));
    const host = fc.array(fc.constantFrom(...'ab09.-Z:@8'.split('')), { maxLength: 8 }).map((a) => a.join(''));
    let recognised = 0;
    fc.assert(
      fc.property(fc.constantFrom('http://', 'https://', 'HTTP://', 'ftp://', 'http:/', ''), host, tail, (scheme, h, t) => {
        const text = scheme + h + t;
        if (!isPlainNormalHttpUri(text)) return;
        recognised++;
        expect(uriProblem(text)).toBeUndefined();
        expect(normalisationProblem(text)).toBeUndefined();
      }),
      { seed: SEED, numRuns: 20000 },
    );
    expect(recognised).toBeGreaterThan(100);
  });

  it('leave default ports, dot-segments, upper case and percent-encoding to the general checks', () => {
    for (const text of ['https://example.com', 'http://192.168.1.23:8080/a/b?c=d#e', 'https://a.b/.well-known/x']) {
      expect(isPlainNormalHttpUri(text), text).toBe(true);
    }
    for (const text of ['https://a.b:443/', 'http://a.b:80', 'https://a.b/./x', 'https://a.b/x/..', 'https://A.b/', 'https://a.b/%7E', 'https://a.b:/x']) {
      expect(isPlainNormalHttpUri(text), text).toBe(false);
    }
  });
});

describe('DID URLs', () => {
  const didLike = fc
    .tuple(
      fc.constantFrom('did:', 'did:', 'DID:', 'did', ''),
      fc.array(fc.constantFrom(...'abcAZ09._-:#/?%@ é'.split('')), { maxLength: 24 }).map((a) => a.join('')),
    )
    .map(([prefix, rest]) => prefix + rest);

  it('isUriFast answers as isUri does', () => {
    let plain = 0;
    fc.assert(
      fc.property(didLike, (text) => {
        expect(isUriFast(text)).toBe(isUri(text));
        if (/^did:[a-z0-9]+:/.test(text)) plain++;
      }),
      { seed: SEED, numRuns: 20000 },
    );
    expect(plain).toBeGreaterThan(100);
    expect(isUriFast('did:vaa:3wkd1L3sX7kQ1z9yTgZkUJx9Jd4Q#service-1')).toBe(true);
  });

  it('didUrlOrUndefined parses once what isDidUrl accepts', () => {
    fc.assert(
      fc.property(didLike, (text) => {
        const parsed = didUrlOrUndefined(text);
        expect(parsed !== undefined).toBe(isDidUrl(text));
        if (parsed !== undefined) expect(parsed).toStrictEqual(parseDidUrl(text));
      }),
      { seed: SEED, numRuns: 5000 },
    );
  });
});

describe('datetimes already in DID Core form', () => {
  it('normalise to what parsing and writing them gives', () => {
    const two = (max: number) => fc.integer({ min: 0, max }).map((n) => String(n).padStart(2, '0'));
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 9999 }), two(13), two(32), two(25), two(60), two(60), (y, mo, d, h, mi, s) => {
        const year = String(y).padStart(4, '0');
        const canonical = `${year}-${mo}-${d}T${h}:${mi}:${s}Z`;
        // The same instant written with a space and an explicit +00:00 offset takes the general parse-and-write path.
        const general = `${year}-${mo}-${d} ${h}:${mi}:${s}+00:00`;
        expect(normaliseDatetime(canonical)).toBe(normaliseDatetime(general));
        expect(normaliseDatetime(` ${canonical} `)).toBe(normaliseDatetime(general));
      }),
      { seed: SEED, numRuns: 5000 },
    );
    expect(normaliseDatetime('2024-02-29T24:00:00Z')).toBe('2024-03-01T00:00:00Z');
    expect(normaliseDatetime('2023-02-29T00:00:00Z')).toBeUndefined();
  });
});
