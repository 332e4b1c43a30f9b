import { readFileSync } from 'node:fs';
import { base58 as scureBase58 } from '@scure/base';
import fc from 'fast-check';
import { base58btc } from 'multiformats/bases/base58';
import { describe, expect, it } from 'vitest';
import { DidBridgeError } from '../../src/errors.js';
import {
  BIF_BASE58_ALPHABET,
  BITCOIN_BASE58_ALPHABET,
  WEID_PSEUDO_MULTICODEC_HEADERS,
  base58Bif,
  base58Bitcoin,
  base58Codec,
  decodeBase64,
  decodeBase64Url,
  decodeBifPrivateKey,
  decodeBifPublicKey,
  decodeDecimalPublicKey,
  decodeHex,
  decodeMultibaseBase58btc,
  decodeWeidPseudoMultibase,
  decompressPoint,
  deriveDid,
  encodeBase64Url,
  encodeBifPrivateKey,
  encodeBifPublicKey,
  encodeDecimalPublicKey,
  encodeHex,
  encodeMultikey,
  encodeWeidPseudoMultibase,
  generateKeyPair,
  isWeidPseudoMultibase,
  publicKeyFromPrivateKey,
  readBifPublicKeyHex,
  weidServiceFragment,
} from '../../src/keys/index.js';
import {
  BITCOIN_BASE58_TABLES,
  base58Tables,
  decodeBase58Digits,
  encodeBase58Digits,
} from '../../src/keys/codecs.js';

const fixture = JSON.parse(readFileSync(new URL('../../fixtures/keys/codecs.json', import.meta.url), 'utf8'));

/** An independent base58 encoder (schoolbook BigInt radix conversion) to check the transliterating codec against. */
function referenceBase58(bytes: Uint8Array, alphabet: string): string {
  let n = 0n;
  for (const b of bytes) n = n * 256n + BigInt(b);
  let out = '';
  while (n > 0n) {
    out = alphabet[Number(n % 58n)] + out;
    n /= 58n;
  }
  let zeros = 0;
  while (zeros < bytes.length && bytes[zeros] === 0) zeros++;
  return alphabet[0]!.repeat(zeros) + out;
}

function expectDidBridgeError(fn: () => unknown, code: string, message?: RegExp): DidBridgeError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(DidBridgeError);
    expect((err as DidBridgeError).code).toBe(code);
    if (message) expect((err as Error).message).toMatch(message);
    return err as DidBridgeError;
  }
  throw new Error('expected a DidBridgeError');
}

describe('hex', () => {
  it('decodes either case, with or without 0x, and encodes with the requested options', () => {
    expect(decodeHex('0xB0656F')).toEqual(Uint8Array.of(0xb0, 0x65, 0x6f));
    expect(decodeHex('b0656f')).toEqual(Uint8Array.of(0xb0, 0x65, 0x6f));
    expect(encodeHex(Uint8Array.of(0xb0, 0x0a), { prefix: true, upperCase: true })).toBe('0xB00A');
    expect(encodeHex(new Uint8Array(0))).toBe('');
  });

  it('rejects odd length, stray characters, a disallowed prefix and a wrong length with INVALID_DID_DOCUMENT by default', () => {
    expectDidBridgeError(() => decodeHex('abc'), 'INVALID_DID_DOCUMENT', /even number of hex digits/);
    expectDidBridgeError(() => decodeHex('zz'), 'INVALID_DID_DOCUMENT', /expected hexadecimal digits/);
    expectDidBridgeError(() => decodeHex(' ab'), 'INVALID_DID_DOCUMENT');
    expectDidBridgeError(() => decodeHex('0xab', { allowPrefix: false }), 'INVALID_DID_DOCUMENT');
    expectDidBridgeError(() => decodeHex('abcd', { length: 3, label: 'publicKeyHex' }), 'INVALID_DID_DOCUMENT', /^publicKeyHex: expected 3 bytes/);
  });

  it('throws the code the caller chooses', () => {
    expectDidBridgeError(() => decodeHex('xyz', { errorCode: 'INVALID_DID' }), 'INVALID_DID');
  });

  it('refuses oversized input before converting it', () => {
    expectDidBridgeError(() => decodeHex('00'.repeat(600), { maxLength: 1000 }), 'INVALID_DID_DOCUMENT', /at most 1000/);
  });

  it('throws TypeError for non-string input', () => {
    expect(() => decodeHex(42 as unknown as string)).toThrow(/"text"/);
  });
});

describe('base58 alphabets', () => {
  it('defines the BIF alphabet as Bitcoin\'s with B<->b and U<->u swapped (§4.2)', () => {
    expect(BIF_BASE58_ALPHABET).toBe('123456789AbCDEFGHJKLMNPQRSTuVWXYZaBcdefghijkmnopqrstUvwxyz');
    const swapped = [...BITCOIN_BASE58_ALPHABET].map((c) => ({ B: 'b', b: 'B', U: 'u', u: 'U' })[c] ?? c).join('');
    expect(swapped).toBe(BIF_BASE58_ALPHABET);
  });

  it('encodes exactly like a schoolbook base58 over each alphabet, leading zeros included, and round-trips', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.nat({ max: 3 }), (tail, zeros) => {
        const bytes = new Uint8Array([...new Uint8Array(zeros), ...tail]);
        expect(base58Bif.encode(bytes)).toBe(referenceBase58(bytes, BIF_BASE58_ALPHABET));
        expect(base58Bitcoin.encode(bytes)).toBe(referenceBase58(bytes, BITCOIN_BASE58_ALPHABET));
        expect(base58Bif.decode(base58Bif.encode(bytes))).toEqual(bytes);
      }),
      { numRuns: 300 },
    );
  });

  it('rejects characters outside the base58 set, including non-ASCII, with a DidBridgeError', () => {
    for (const bad of ['0abc', 'Oabc', 'Iabc', 'labc', 'ab c', '你好', 'ab\u0100']) {
      expectDidBridgeError(() => base58Bif.decode(bad), 'INVALID_DID_DOCUMENT', /base58 characters/);
    }
  });

  it('bounds the input length (base58 decoding is quadratic)', () => {
    const started = performance.now();
    expectDidBridgeError(() => base58Bitcoin.decode('z'.repeat(1_000_000)), 'INVALID_DID_DOCUMENT', /at most 4096/);
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('refuses an alphabet that is not a permutation of Bitcoin\'s', () => {
    expect(() => base58Codec('0123456789')).toThrow(TypeError);
    expect(() => base58Codec(BITCOIN_BASE58_ALPHABET.replace('1', '0'))).toThrow(/permutation/);
  });

  it('reads base58btc multibase only with the z prefix', () => {
    expect(decodeMultibaseBase58btc('z2g')).toEqual(Uint8Array.of(0x61));
    expectDidBridgeError(() => decodeMultibaseBase58btc('f61'), 'INVALID_DID_DOCUMENT', /starting with "z"/);
  });
});

describe('base64', () => {
  it('round-trips unpadded base64url and refuses padding, the standard alphabet and stray trailing bits', () => {
    const bytes = Uint8Array.of(0xfb, 0xff, 0x01);
    expect(encodeBase64Url(bytes)).toBe('-_8B');
    expect(decodeBase64Url('-_8B')).toEqual(bytes);
    expectDidBridgeError(() => decodeBase64Url('YQ=='), 'INVALID_DID_DOCUMENT');
    expectDidBridgeError(() => decodeBase64Url('+/8B'), 'INVALID_DID_DOCUMENT');
    expectDidBridgeError(() => decodeBase64Url('YR'), 'INVALID_DID_DOCUMENT', /canonical/);
    expectDidBridgeError(() => decodeBase64Url('YQ', { length: 2 }), 'INVALID_DID_DOCUMENT', /2 bytes/);
  });

  it('decodes standard base64 with or without padding', () => {
    expect(decodeBase64('+/8B')).toEqual(Uint8Array.of(0xfb, 0xff, 0x01));
    expect(decodeBase64('YQ==')).toEqual(Uint8Array.of(0x61));
    expect(decodeBase64('YQ')).toEqual(Uint8Array.of(0x61));
    expectDidBridgeError(() => decodeBase64('YQ='), 'INVALID_DID_DOCUMENT');
    expectDidBridgeError(() => decodeBase64('-_8B'), 'INVALID_DID_DOCUMENT');
  });
});

describe('WeIdentity decimal public keys (§3.3)', () => {
  const v1 = '2905679808560626772263712571437125497429146398815877180317365034921958007199576809718056336050058032599743534507469742764670961100255274766148096681073592';

  it('decodes to 64 bytes X‖Y and re-encodes to the same text', () => {
    const xy = decodeDecimalPublicKey(v1);
    expect(xy.length).toBe(64);
    expect(encodeDecimalPublicKey(xy)).toBe(v1);
    expect(encodeDecimalPublicKey(new Uint8Array([4, ...xy]))).toBe(v1);
  });

  it('left-pads keys whose integer form lost leading zero bytes', () => {
    const xy = decodeDecimalPublicKey(v1);
    const shortened = new Uint8Array(xy);
    shortened[0] = 0;
    shortened[1] = 0;
    const text = encodeDecimalPublicKey(shortened);
    expect(text.length).toBeLessThan(v1.length);
    expect(BigInt(text).toString(16).length).toBeLessThanOrEqual(124);
    expect(decodeDecimalPublicKey(text)).toEqual(shortened);
  });

  it('rejects non-digits, empty text, values of more than 64 bytes and overlong text', () => {
    for (const bad of ['', '-1', '12a', ' 12', '1e5', '１２']) {
      expectDidBridgeError(() => decodeDecimalPublicKey(bad), 'INVALID_DID_DOCUMENT', /decimal integer/);
    }
    const tooBig = (1n << 512n).toString(10);
    expectDidBridgeError(() => decodeDecimalPublicKey(tooBig), 'INVALID_DID_DOCUMENT', /below 2\^512/);
    expect(decodeDecimalPublicKey(((1n << 512n) - 1n).toString(10))).toEqual(new Uint8Array(64).fill(0xff));
    const started = performance.now();
    expectDidBridgeError(() => decodeDecimalPublicKey('9'.repeat(1_000_000)), 'INVALID_DID_DOCUMENT');
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('refuses to encode anything but X‖Y', () => {
    expect(() => encodeDecimalPublicKey(new Uint8Array(33))).toThrow(TypeError);
  });
});

describe('WeIdentity v3 pseudo-multibase (§3.4)', () => {
  const vector = fixture.weidPseudoMultibase[0];

  it(`decodes the published value (${vector.section})`, () => {
    const decoded = decodeWeidPseudoMultibase(vector.publicKeyMultibase);
    expect(decoded.variant).toBe(vector.expected.variant);
    expect(encodeHex(decoded.header)).toBe(vector.expected.headerHex);
    expect(decoded.decimal).toBe(vector.expected.decimal);
    expect(decoded.publicKey).toEqual(decodeDecimalPublicKey(vector.expected.decimal));
    expect(deriveDid({ method: 'weid', publicKey: decoded.publicKey }).methodSpecificId).toBe(vector.expected.address);
  });

  it('re-encodes byte-identically, from the decimal text and from the key bytes', () => {
    const decoded = decodeWeidPseudoMultibase(vector.publicKeyMultibase);
    expect(encodeWeidPseudoMultibase({ variant: decoded.variant, decimal: decoded.decimal })).toBe(vector.publicKeyMultibase);
    expect(encodeWeidPseudoMultibase({ variant: 'secp256k1', publicKey: decoded.publicKey })).toBe(vector.publicKeyMultibase);
  });

  it('is not a Multikey: the header is ED 01 01 and the payload ASCII digits', () => {
    const raw = decodeMultibaseBase58btc(vector.publicKeyMultibase);
    expect([...raw.subarray(0, 3)]).toEqual([0xed, 0x01, 0x01]);
    expect(raw.subarray(3).every((b) => b >= 0x30 && b <= 0x39)).toBe(true);
  });

  it('round-trips the SM2 header 12 06 with an SM2 key', () => {
    const pair = generateKeyPair({ type: 'SM2' });
    const xy = decompressPoint('SM2', pair.publicKey).subarray(1);
    const value = encodeWeidPseudoMultibase({ variant: 'SM2', publicKey: xy });
    const raw = decodeMultibaseBase58btc(value);
    expect([...raw.subarray(0, 2)]).toEqual([...WEID_PSEUDO_MULTICODEC_HEADERS.SM2.bytes]);
    const decoded = decodeWeidPseudoMultibase(value);
    expect(decoded.variant).toBe('SM2');
    expect(decoded.publicKey).toEqual(xy);
  });

  it('rejects real Multikeys, other headers and non-digit payloads', () => {
    const ed = encodeMultikey({ type: 'Ed25519', bytes: generateKeyPair({ type: 'Ed25519' }).publicKey });
    expect(isWeidPseudoMultibase(ed)).toBe(false);
    expectDidBridgeError(() => decodeWeidPseudoMultibase(ed), 'INVALID_DID_DOCUMENT');
    const letters = 'z' + base58Bitcoin.encode(Uint8Array.of(0xed, 0x01, 0x01, 0x31, 0x41));
    expectDidBridgeError(() => decodeWeidPseudoMultibase(letters), 'INVALID_DID_DOCUMENT', /decimal digits/);
    expectDidBridgeError(() => decodeWeidPseudoMultibase('did:weid:0:0x82cf6d7c796126673238eae72d4d81f73596b04a#keys-1'), 'INVALID_DID_DOCUMENT');
    expect(isWeidPseudoMultibase(42)).toBe(false);
    expect(isWeidPseudoMultibase(vector.publicKeyMultibase)).toBe(true);
  });

  it('requires exactly one of decimal and publicKey', () => {
    expect(() => encodeWeidPseudoMultibase({ variant: 'SM2' })).toThrow(/exactly one/);
    expect(() => encodeWeidPseudoMultibase({ variant: 'Ed25519' as 'SM2', decimal: '1' })).toThrow(/"variant"/);
  });
});

describe('WeIdentity service fragment (§3.3)', () => {
  for (const v of fixture.weidServiceFragments) {
    it(`${v.id}: ${v.section}`, () => {
      expect(weidServiceFragment(v.serviceEndpoint)).toBe(v.expectedFragment);
    });
  }
});

describe('BIF-encoded keys (§4.2)', () => {
  for (const v of fixture.bifPublicKeys) {
    it(`decodes ${v.id} (${v.section}) and re-encodes it`, () => {
      const decoded = decodeBifPublicKey(v.publicKeyHex);
      expect(decoded).toEqual({ keyType: v.expected.keyType, encoding: v.expected.encoding, publicKey: decodeHex(v.expected.rawHex) });
      expect(encodeHex(encodeBifPublicKey(decoded))).toBe(v.publicKeyHex);
    });
  }

  it('encodes SM2 keys as b07a66 ‖ 04‖X‖Y', () => {
    const pub = decompressPoint('SM2', generateKeyPair({ type: 'SM2' }).publicKey);
    const encoded = encodeBifPublicKey({ keyType: 'SM2', publicKey: pub });
    expect(encodeHex(encoded.subarray(0, 4))).toBe('b07a6604');
    expect(decodeBifPublicKey(encoded).publicKey).toEqual(pub);
  });

  it('reads publicKeyHex raw (spec) or BIF-encoded (SDK)', () => {
    const raw = 'b9906e1b50e81501369cc777979f8bcf27bd1917d794fa6d5e320b1ccc4f48bb';
    expect(readBifPublicKeyHex(raw)).toEqual({ keyType: undefined, publicKey: decodeHex(raw), bifEncoded: false });
    const sdk = readBifPublicKeyHex(fixture.bifPublicKeys[0].publicKeyHex);
    expect(sdk.bifEncoded).toBe(true);
    expect(sdk.keyType).toBe('Ed25519');
    expectDidBridgeError(() => readBifPublicKeyHex('00'.repeat(40)), 'INVALID_DID_DOCUMENT', /raw public key/);
  });

  it('rejects a wrong header, unknown tags and wrong lengths', () => {
    expectDidBridgeError(() => decodeBifPublicKey('a06566' + '00'.repeat(32)), 'INVALID_DID_DOCUMENT', /B0/);
    expectDidBridgeError(() => decodeBifPublicKey('b07866' + '00'.repeat(32)), 'INVALID_DID_DOCUMENT', /key-type tag/);
    expectDidBridgeError(() => decodeBifPublicKey('b06578' + '00'.repeat(32)), 'INVALID_DID_DOCUMENT', /encoding tag/);
    expectDidBridgeError(() => decodeBifPublicKey('b06566' + '00'.repeat(31)), 'INVALID_DID_DOCUMENT', /32-byte Ed25519/);
    expectDidBridgeError(() => decodeBifPublicKey('b07a66' + '02' + '00'.repeat(64)), 'INVALID_DID_DOCUMENT', /uncompressed/);
    expect(() => encodeBifPublicKey({ keyType: 'Ed25519', publicKey: new Uint8Array(31) })).toThrow(TypeError);
  });

  const privateVector = fixture.bifPrivateKeys.find((v: { status: string }) => v.status === 'confirmed');
  it(`decodes the SDK test private key and reproduces its public key (${privateVector.section})`, () => {
    const decoded = decodeBifPrivateKey(privateVector.privateKey);
    expect(decoded.keyType).toBe(privateVector.expected.keyType);
    expect(decoded.encoding).toBe(privateVector.expected.encoding);
    expect(base58Bif.decode(privateVector.privateKey).length).toBe(privateVector.expected.bytes);
    const pub = publicKeyFromPrivateKey({ type: 'Ed25519', privateKey: decoded.privateKey });
    expect(encodeHex(pub.bytes)).toBe(privateVector.expected.publicKeyHex);
    expect(encodeBifPrivateKey(decoded)).toBe(privateVector.privateKey);
  });

  const partial = fixture.bifPrivateKeys.find((v: { status: string }) => v.status === 'unconfirmed');
  it(`unconfirmed: ${partial.id} — only the prefix is checkable (${partial.reason.slice(0, 60)}…)`, () => {
    // Every Ed25519 BIF private key starts with "priSPK"; the published prefix agrees, and nothing more can be said.
    for (let i = 0; i < 20; i++) {
      const text = encodeBifPrivateKey({ keyType: 'Ed25519', privateKey: generateKeyPair({ type: 'Ed25519' }).privateKey });
      expect(text.startsWith('priSPK')).toBe(true);
    }
    expect(partial.privateKeyPrefix.startsWith('priSPK')).toBe(true);
    expect(partial.privateKeyPrefix.length).toBeLessThan(privateVector.privateKey.length);
  });

  it('never echoes a private key in its error messages', () => {
    const secret = privateVector.privateKey.slice(0, -1) + '0';
    const err = expectDidBridgeError(() => decodeBifPrivateKey(secret), 'INVALID_DID_DOCUMENT');
    expect(err.message).not.toContain(secret.slice(6, 20));
    const wrongPrefix = base58Bif.encode(new Uint8Array(37).fill(7));
    const err2 = expectDidBridgeError(() => decodeBifPrivateKey(wrongPrefix), 'INVALID_DID_DOCUMENT', /18 9E 99/);
    expect(err2.message).not.toContain(wrongPrefix);
  });
});

describe('decoders never throw anything but DidBridgeError on arbitrary strings', () => {
  it('holds for every text decoder', () => {
    const decoders: Array<(s: string) => unknown> = [
      (s) => decodeHex(s),
      (s) => base58Bif.decode(s),
      (s) => decodeMultibaseBase58btc(s),
      (s) => decodeBase64Url(s),
      (s) => decodeBase64(s),
      (s) => decodeDecimalPublicKey(s),
      (s) => decodeWeidPseudoMultibase(s),
      (s) => decodeBifPublicKey(s),
      (s) => readBifPublicKeyHex(s),
      (s) => decodeBifPrivateKey(s),
    ];
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.stringMatching(/^z[1-9A-Za-z]{0,80}$/)), (s) => {
        for (const decode of decoders) {
          try {
            decode(s);
          } catch (err) {
            expect(err).toBeInstanceOf(DidBridgeError);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('base58 conversions (encodeBase58Digits, decodeBase58Digits)', () => {
  const { pairs, digits } = BITCOIN_BASE58_TABLES;
  const encode = (bytes: Uint8Array) => encodeBase58Digits(bytes, pairs);

  /** Byte arrays of 0..200 bytes: random, behind runs of zero bytes, all zero, all 0xff, and mixes of extremes. */
  const bytesUpTo200 = fc.oneof(
    fc.uint8Array({ maxLength: 200 }),
    fc
      .tuple(fc.integer({ min: 1, max: 20 }), fc.uint8Array({ maxLength: 200 }))
      .map(([zeros, tail]) => Uint8Array.from([...new Uint8Array(zeros), ...tail]).slice(0, 200)),
    fc.integer({ min: 0, max: 200 }).map((n) => new Uint8Array(n)),
    fc.integer({ min: 0, max: 200 }).map((n) => new Uint8Array(n).fill(0xff)),
    fc.array(fc.constantFrom(0x00, 0x01, 0x7f, 0x80, 0xfe, 0xff), { maxLength: 200 }).map((a) => Uint8Array.from(a)),
  );

  /** The old way to write a permuted alphabet: Bitcoin base58 from @scure/base, then each character renamed. */
  function renamedFromBitcoin(bytes: Uint8Array, alphabet: string): string {
    return [...scureBase58.encode(bytes)].map((c) => alphabet[BITCOIN_BASE58_ALPHABET.indexOf(c)]).join('');
  }

  it('writes exactly what @scure/base and multiformats base58btc write, for 0..200 bytes with leading zeros', () => {
    expect(encode(new Uint8Array(0))).toBe('');
    expect(encode(new Uint8Array(3))).toBe('111');
    expect(encode(Uint8Array.of(0, 0, 0x61))).toBe('112g');
    fc.assert(
      fc.property(bytesUpTo200, (bytes) => {
        const text = encode(bytes);
        expect(text).toBe(scureBase58.encode(bytes));
        expect(text).toBe(base58btc.baseEncode(bytes));
      }),
      { numRuns: 1500 },
    );
  });

  it('round-trips through decodeBase58Digits and the Bitcoin codec', () => {
    fc.assert(
      fc.property(bytesUpTo200, (bytes) => {
        const text = encode(bytes);
        expect(decodeBase58Digits(text, digits)).toStrictEqual(bytes);
        expect(base58Bitcoin.decode(text)).toStrictEqual(bytes);
        expect(base58Bitcoin.encode(bytes)).toBe(text);
      }),
      { numRuns: 1000 },
    );
  });

  it('decodes the extremes (runs of the largest digit behind zero digits) as @scure/base does', () => {
    for (let zeros = 0; zeros <= 3; zeros++) {
      for (let n = 0; n <= 300; n += 7) {
        const text = '1'.repeat(zeros) + 'z'.repeat(n);
        expect(decodeBase58Digits(text, digits)).toStrictEqual(scureBase58.decode(text));
      }
    }
  });

  it('BIF: the same text as the old encode-as-Bitcoin-then-rename, and any permuted alphabet likewise', () => {
    fc.assert(
      fc.property(bytesUpTo200, (bytes) => {
        expect(base58Bif.encode(bytes)).toBe(renamedFromBitcoin(bytes, BIF_BASE58_ALPHABET));
        expect(base58Bif.decode(base58Bif.encode(bytes))).toStrictEqual(bytes);
      }),
      { numRuns: 1000 },
    );
    const permutation = fc
      .shuffledSubarray([...BITCOIN_BASE58_ALPHABET], { minLength: 58, maxLength: 58 })
      .map((chars) => chars.join(''));
    fc.assert(
      fc.property(permutation, bytesUpTo200, (alphabet, bytes) => {
        const codec = base58Codec(alphabet);
        expect(codec.encode(bytes)).toBe(renamedFromBitcoin(bytes, alphabet));
        expect(codec.decode(codec.encode(bytes))).toStrictEqual(bytes);
      }),
      { numRuns: 200 },
    );
  });

  it('texts longer than the reused character buffer are right, and earlier results are not overwritten', () => {
    const small = Uint8Array.of(0, 1, 2, 3, 0xff);
    const first = encode(small);
    for (const length of [369, 370, 371, 372, 373, 500, 1000, 2048]) {
      const random = new Uint8Array(length);
      crypto.getRandomValues(random);
      random.fill(0, 0, 5);
      const ones = new Uint8Array(length).fill(0xff);
      for (const bytes of [random, ones]) {
        const text = encode(bytes);
        expect(text).toBe(scureBase58.encode(bytes));
        expect(text).toBe(referenceBase58(bytes, BITCOIN_BASE58_ALPHABET));
        expect(decodeBase58Digits(text, digits)).toStrictEqual(bytes);
      }
    }
    expect(first).toBe(scureBase58.encode(small));
    expect(encode(small)).toBe(first);
  });

  it('base58Tables refuses what is not 58 distinct ASCII characters with a TypeError', () => {
    expect(() => base58Tables(BITCOIN_BASE58_ALPHABET.slice(1))).toThrow(TypeError);
    expect(() => base58Tables(BITCOIN_BASE58_ALPHABET.replace('2', '1'))).toThrow(/distinct/);
    expect(() => base58Tables(BITCOIN_BASE58_ALPHABET.replace('2', 'é'))).toThrow(TypeError);
    expect(() => base58Tables(42 as unknown as string)).toThrow(/"alphabet"/);
    // Any such alphabet works, not only permutations of Bitcoin's (flickr's, lower case first).
    const flickr = '123456789abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ';
    const tables = base58Tables(flickr);
    const bytes = Uint8Array.of(0, 0x12, 0x34, 0x56, 0x78, 0x9a);
    expect(encodeBase58Digits(bytes, tables.pairs)).toBe(renamedFromBitcoin(bytes, flickr));
    expect(decodeBase58Digits(encodeBase58Digits(bytes, tables.pairs), tables.digits)).toStrictEqual(bytes);
  });
});
