import { createHash, getHashes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  HASH_NAMES,
  HASH_OUTPUT_BYTES,
  SM3_PROVIDER,
  digest,
  encodeHex,
  keccak256,
  ripemd160,
  sha256,
  sm3,
  sm3WithSmCrypto,
  type HashName,
} from '../../src/keys/index.js';

interface HashVector {
  id: string;
  hash: HashName;
  section: string;
  input: string;
  expectedHex: string;
}
const fixture = JSON.parse(readFileSync(new URL('../../fixtures/keys/hash.json', import.meta.url), 'utf8')) as {
  vectors: HashVector[];
};

describe('hash known answers (fixtures/keys/hash.json)', () => {
  it.each(fixture.vectors.map((v) => [v.id, v] as const))('%s', (_id, vector) => {
    expect(encodeHex(digest(vector.hash, vector.input))).toBe(vector.expectedHex);
  });
});

describe('sm3()', () => {
  it('uses node:crypto when OpenSSL provides SM3, as Node 20 does', () => {
    expect(SM3_PROVIDER).toBe(getHashes().includes('sm3') ? 'node:crypto' : 'sm-crypto-v2');
  });

  it('agrees with the sm-crypto-v2 implementation on arbitrary input', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (data) => {
        expect(encodeHex(sm3(data))).toBe(encodeHex(sm3WithSmCrypto(data)));
      }),
      { numRuns: 200 },
    );
  });

  it('hashes a string as its UTF-8 bytes', () => {
    const text = '国密 SM3 ✓';
    expect(sm3(text)).toEqual(sm3(new TextEncoder().encode(text)));
    expect(sm3WithSmCrypto(text)).toEqual(sm3(text));
  });
});

describe('keccak256()', () => {
  it('is Keccak-256, not FIPS 202 SHA3-256 (different padding)', () => {
    const sha3 = createHash('sha3-256').update('abc').digest('hex');
    expect(encodeHex(keccak256('abc'))).not.toBe(sha3);
    expect(encodeHex(keccak256('abc'))).toBe('4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45');
  });
});

describe('digest()', () => {
  it('dispatches to each function and returns the documented size', () => {
    const data = new TextEncoder().encode('didbridge');
    const direct: Record<HashName, (d: Uint8Array) => Uint8Array> = { sha256, sm3, keccak256, ripemd160 };
    for (const name of HASH_NAMES) {
      const out = digest(name, data);
      expect(out).toEqual(direct[name](data));
      expect(out.length).toBe(HASH_OUTPUT_BYTES[name]);
    }
  });

  it('throws TypeError naming the parameter for an unknown hash or bad data', () => {
    expect(() => digest('md5' as HashName, 'x')).toThrow(/"name"/);
    expect(() => digest('sha256', 42 as unknown as string)).toThrow(TypeError);
    expect(() => sha256(null as unknown as string)).toThrow(/"data"/);
  });
});
